import test from 'ava';
import { lookAlpha, minimumBlocks, spentAlpha } from '../../../harness/compare/alpha-spending.ts';
import { detectableShiftInSd } from '../../../harness/compare/detectable-shift.ts';
import { benjaminiHochberg, holmAdjust } from '../../../harness/compare/multiplicity.ts';

const close = (t: { true(v: boolean, m?: string): void }, xs: number[], ys: number[]) =>
  t.true(
    xs.every((x, i) => Math.abs(x - ys[i]!) < 1e-12),
    `${xs} vs ${ys}`,
  );

test('Holm: step-down adjusted p-values (worked by hand as R p.adjust "holm" defines them)', (t) => {
  // sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> running max 0.06
  close(t, holmAdjust([0.01, 0.04, 0.03, 0.005]), [0.03, 0.06, 0.06, 0.02]);
});

test('Benjamini-Hochberg: step-up q-values (worked by hand as R p.adjust "BH" defines them)', (t) => {
  // sorted 4*0.005/1 = 0.02, 4*0.01/2 = 0.02, 4*0.03/3 = 0.04, 4*0.04/4 = 0.04, running min from the top
  close(t, benjaminiHochberg([0.01, 0.04, 0.03, 0.005]), [0.02, 0.04, 0.04, 0.02]);
  close(t, benjaminiHochberg([0.5, 0.9]), [0.9, 0.9]);
});

test('alpha spending: the looks add up to alpha; 3 primaries first decide at 5 blocks', (t) => {
  const plan = { minBlocks: 5, maxBlocks: 8 };
  let sum = 0;
  for (let b = 5; b <= 8; b++) sum += lookAlpha(0.05, b, plan);
  t.true(Math.abs(sum - 0.05) < 1e-12);
  t.is(spentAlpha(0.05, 8, 8), 0.05);
  t.is(minimumBlocks(0.05, 3, 8), 5);
  t.is(minimumBlocks(0.05, 1, 8), 4);
});

test('detectable shift: more runs detect less; too few runs detect nothing', (t) => {
  const four = detectableShiftInSd(4, 4, 0.05 / 3)!;
  const eight = detectableShiftInSd(8, 8, 0.05 / 3)!;
  t.true(eight < four);
  t.is(detectableShiftInSd(2, 2, 0.05), null);
});
