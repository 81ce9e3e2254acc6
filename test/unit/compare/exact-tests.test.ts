import test from 'ava';
import { exactScoreTest } from '../../../harness/compare/exact-score-test.ts';
import { gehanScores } from '../../../harness/compare/gehan-scores.ts';
import { hodgesLehmannCi, minOneSidedP } from '../../../harness/compare/hodges-lehmann-ci.ts';
import { mannWhitney } from '../../../harness/compare/mann-whitney.ts';
import type { Observation } from '../../../harness/compare/observation.ts';
import { seededRandom } from '../../../harness/compare/seeded-random.ts';
import { shiftTest } from '../../../harness/compare/shift-test.ts';

const obs = (xs: readonly number[], censored = false): Observation[] =>
  xs.map((value) => ({ value, censored }));

/** Every way to choose which n2 of the pooled values are the candidate's. */
function* subsets(n: number, k: number, start = 0, acc: number[] = []): Generator<number[]> {
  if (acc.length === k) {
    yield acc;
    return;
  }
  for (let i = start; i < n; i++) yield* subsets(n, k, i + 1, [...acc, i]);
}

/** Reference: one-sided p-values by brute-force enumeration of the mid-rank sum. */
function bruteForce(a: readonly number[], b: readonly number[]): { greater: number; less: number } {
  const pooled = [...a, ...b];
  const midrank = (x: number) =>
    pooled.filter((y) => y < x).length + (pooled.filter((y) => y === x).length + 1) / 2;
  const ranks = pooled.map(midrank);
  const observed = b.reduce((s, x) => s + midrank(x), 0);
  let greater = 0;
  let less = 0;
  let total = 0;
  for (const idx of subsets(pooled.length, b.length)) {
    const sum = idx.reduce((s, i) => s + ranks[i]!, 0);
    total++;
    if (sum >= observed - 1e-9) greater++;
    if (sum <= observed + 1e-9) less++;
  }
  return { greater: greater / total, less: less / total };
}

test('exact tie-aware p-values equal brute-force enumeration over the pooled data', (t) => {
  const random = seededRandom(7);
  for (let k = 0; k < 60; k++) {
    const n1 = 3 + Math.floor(random() * 4);
    const n2 = 3 + Math.floor(random() * 4);
    // few distinct values: many ties, as counts and whole seconds give
    const draw = () => Math.floor(random() * 5);
    const a = Array.from({ length: n1 }, draw);
    const b = Array.from({ length: n2 }, () => draw() + (k % 3));
    const ref = bruteForce(a, b);
    const got = shiftTest(obs(a), obs(b), 0);
    t.true(Math.abs(got.pAbove - ref.greater) < 1e-12, `${a} vs ${b}`);
    t.true(Math.abs(got.pBelow - ref.less) < 1e-12, `${a} vs ${b}`);
  }
});

test('ties at 4 runs: the exact p is larger than the normal approximation claimed', (t) => {
  const a = [10, 11, 11, 12];
  const b = [12, 13, 13, 14];
  const exact = shiftTest(obs(a), obs(b), 0);
  const two = Math.min(1, 2 * Math.min(exact.pAbove, exact.pBelow));
  const ref = bruteForce(a, b);
  t.is(two, Math.min(1, 2 * Math.min(ref.greater, ref.less)));
  t.is(mannWhitney(a, b).method, 'normal');
  t.true(two > mannWhitney(a, b).pValue, `exact ${two} vs normal ${mannWhitney(a, b).pValue}`);
});

test('without ties the exact score test is the exact Mann-Whitney test', (t) => {
  const a = [1.1, 2.3, 3.7, 4.2, 5.9];
  const b = [3.3, 4.8, 6.1, 7.4, 8.2];
  const two = exactScoreTest(
    gehanScores(obs([...a, ...b])),
    [...a, ...b].map((_, i) => i >= a.length),
  ).pTwoSided;
  t.true(Math.abs(two - mannWhitney(a, b).pValue) < 1e-12);
});

test('the smallest one-sided p is 1/C(n1+n2, n1)', (t) => {
  t.is(minOneSidedP(4, 4), 1 / 70);
  t.is(minOneSidedP(5, 5), 1 / 252);
  t.is(minOneSidedP(3, 3), 1 / 20);
});

test('HL interval: [D(k), D(mn+1-k)] with its exact coverage; 4 vs 4 at 95% is the extremes', (t) => {
  const ci = hodgesLehmannCi([1, 2, 3, 4], [5, 6, 7, 8], 0.95);
  t.deepEqual([ci.low, ci.high], [1, 7]);
  t.is(ci.confidence, 1 - 2 / 70);
  const ci90 = hodgesLehmannCi([1, 2, 3, 4], [5, 6, 7, 8], 0.9);
  // P(U <= 1) = 2/70 <= 0.05, P(U <= 2) = 4/70 > 0.05: k = 2
  t.deepEqual([ci90.low, ci90.high], [2, 6]);
  t.is(ci90.confidence, 1 - 4 / 70);
});

test('HL interval and the shift test agree by construction: the interval is the shifts not rejected', (t) => {
  const random = seededRandom(11);
  for (let k = 0; k < 30; k++) {
    const a = Array.from({ length: 6 }, () => random() * 10);
    const b = Array.from({ length: 5 }, () => random() * 10 + 2);
    const ci = hodgesLehmannCi(a, b, 0.9);
    const tail = (1 - ci.confidence) / 2;
    const eps = 1e-9;
    t.true(shiftTest(obs(a), obs(b), ci.low - eps).pAbove <= tail + 1e-12);
    t.true(shiftTest(obs(a), obs(b), ci.low + eps).pAbove > tail);
    t.true(shiftTest(obs(a), obs(b), ci.high + eps).pBelow <= tail + 1e-12);
    t.true(shiftTest(obs(a), obs(b), ci.high - eps).pBelow > tail);
  }
});

test('HL interval coverage is at least nominal at 4-5 runs (the bootstrap gave 89%)', (t) => {
  const random = seededRandom(3);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  let covered = 0;
  const trials = 2000;
  for (let k = 0; k < trials; k++) {
    const a = Array.from({ length: 4 }, normal);
    const b = Array.from({ length: 5 }, () => normal() + 1);
    const ci = hodgesLehmannCi(a, b, 0.95);
    if (ci.low <= 1 && 1 <= ci.high) covered++;
  }
  // exact coverage of [D(k), D(mn+1-k)] at 4 vs 5 is 1 - 2 * 2/126 = 0.968
  t.true(covered / trials > 0.95, `coverage ${covered / trials}`);
});

test('Gehan: the side that never reached the milestone within the window is the worse one', (t) => {
  // baseline never evicted within 90 s; the candidate at ~45 s in every run
  const baseline = obs([90, 91, 90, 92], true);
  const candidate = obs([45, 46, 44, 47]);
  const r = shiftTest(baseline, candidate, 0);
  t.is(r.pBelow, 1 / 70);
  // and the same data the other way round: a censored candidate is worse than the baseline
  t.is(shiftTest(candidate, baseline, 0).pAbove, 1 / 70);
  // better by more than a 5 s margin: still certain, censoring only says "later than 90 s"
  t.is(shiftTest(baseline, candidate, -5).pBelow, 1 / 70);
});

test('Gehan scores: censored values compare only where certain', (t) => {
  // 10 observed, 20 censored (> 20), 30 observed, 15 censored (> 15)
  const s = gehanScores([
    { value: 10, censored: false },
    { value: 20, censored: true },
    { value: 30, censored: false },
    { value: 15, censored: true },
  ]);
  // 10 is below all three; ">20" is above 10, unknown against 30 and ">15"; 30 is above 10,
  // unknown against ">15" (it could be 16 or 40); ">15" is above 10 only
  t.deepEqual(s, [-3, 1, 1, 1]);
});
