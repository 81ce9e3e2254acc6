import test from 'ava';
import { mannWhitney, mannWhitneyMinPValue } from '../../../harness/compare/mann-whitney.ts';

// Known answers worked by hand (the comments show how) and cross-checked against SciPy 1.17,
// scipy.stats.mannwhitneyu(candidate, baseline, alternative='two-sided', method='exact' or
// 'asymptotic', use_continuity=True).

test('exact, complete separation: p = 2 / C(10,5)', (t) => {
  const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  t.is(r.method, 'exact');
  t.is(r.u, 25);
  t.is(r.probabilityOfSuperiority, 1);
  t.true(Math.abs(r.pValue - 2 / 252) < 1e-12);
});

test('exact, small sample by hand: baseline 1 2 4, candidate 3 5 7', (t) => {
  // U(candidate) = #{b > a} = 2 + 3 + 3 = 8 of 9. Of the C(6,3) = 20 equally likely rank sets,
  // U >= 8 for {4,5,6} and {3,5,6}: one-sided 2/20, two-sided 0.2.
  const r = mannWhitney([1, 2, 4], [3, 5, 7]);
  t.is(r.u, 8);
  t.true(Math.abs(r.pValue - 0.2) < 1e-12);
});

test('exact, unequal sizes (SciPy: 0.0634920635)', (t) => {
  const r = mannWhitney([1.1, 2.3, 3.7, 4.2], [2.5, 5.1, 6.3, 7.7, 8.8]);
  t.is(r.u, 18);
  t.true(Math.abs(r.pValue - 8 / 126) < 1e-12);
});

test('exact, candidate lower (SciPy: 0.1111111111)', (t) => {
  const r = mannWhitney([19, 22, 16, 29, 24], [20, 11, 17, 12]);
  t.is(r.u, 3);
  t.true(Math.abs(r.pValue - 14 / 126) < 1e-12);
});

test('normal approximation with ties, by hand: baseline 2 2 3 4, candidate 3 5 5 6 7', (t) => {
  // U = 2.5 + 4 * 4 = 18.5 (the 3 against the 3 counts half). mean = 20/2 = 10.
  // ties: {2,2}, {3,3}, {5,5}: sum(t^3 - t) = 18; var = 20/12 * (10 - 18/(9*8)) = 16.25.
  // z = (|18.5 - 10| - 0.5) / sqrt(16.25) = 1.98456; p = 2 * (1 - Phi(z)) = 0.047194
  const r = mannWhitney([2, 2, 3, 4], [3, 5, 5, 6, 7]);
  t.is(r.method, 'normal');
  t.true(r.ties);
  t.is(r.u, 18.5);
  t.true(Math.abs((r.z ?? 0) - 8 / Math.sqrt(16.25)) < 1e-12);
  t.true(Math.abs(r.pValue - 0.04719391926101514) < 1e-6);
});

test('normal approximation with ties (SciPy: 0.0729539302)', (t) => {
  const r = mannWhitney([10, 12, 12, 15, 18, 20], [14, 16, 16, 19, 22, 25, 25]);
  t.is(r.u, 34);
  t.true(Math.abs(r.pValue - 0.07295393020507691) < 1e-6);
});

test('large samples without ties use the normal approximation (SciPy: 0.2893003420)', (t) => {
  const a = Array.from({ length: 30 }, (_, i) => i);
  const b = Array.from({ length: 26 }, (_, i) => i + 4.5);
  const r = mannWhitney(a, b);
  t.is(r.method, 'normal');
  t.is(r.u, 455);
  t.true(Math.abs(r.pValue - 0.2893003419608968) < 1e-6);
});

test('swapping sides mirrors U and keeps p', (t) => {
  const a = [1.1, 2.3, 3.7, 4.2];
  const b = [2.5, 5.1, 6.3, 7.7, 8.8];
  const ab = mannWhitney(a, b);
  const ba = mannWhitney(b, a);
  t.is(ba.u, a.length * b.length - ab.u);
  t.true(Math.abs(ab.pValue - ba.pValue) < 1e-12);
});

test('all values equal: no evidence at all', (t) => {
  const r = mannWhitney([0, 0, 0, 0, 0], [0, 0, 0, 0, 0]);
  t.is(r.pValue, 1);
  t.is(r.probabilityOfSuperiority, 0.5);
});

const minP = test.macro((t, n1: number, n2: number, expected: number) => {
  t.true(Math.abs(mannWhitneyMinPValue(n1, n2) - expected) < 1e-12);
});
test('smallest p with 1 vs 1 runs is 1', minP, 1, 1, 1);
test('smallest p with 3 vs 3 runs is 2/20', minP, 3, 3, 0.1);
test('smallest p with 3 vs 4 runs is 2/35', minP, 3, 4, 2 / 35);
test('smallest p with 4 vs 4 runs is 2/70', minP, 4, 4, 2 / 70);
test('smallest p with 5 vs 5 runs is 2/252', minP, 5, 5, 2 / 252);
