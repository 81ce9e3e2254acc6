import test from 'ava';
import { lookAlpha, minimumBlocks, spentAlpha } from '../../../harness/compare/alpha-spending.ts';
import { detectableShiftInSd } from '../../../harness/compare/detectable-shift.ts';
import { benjaminiHochberg, holmAdjust } from '../../../harness/compare/multiplicity.ts';
import { markEnvironmentFindings } from '../../../harness/compare/slo-environment.ts';

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

test('SLOs: a miss both sides share, or one the runs cannot tell from the baseline, is the environment', (t) => {
  const check = (side: string, gating: boolean, values: number[]) => ({
    comparisonId: 'c',
    scenario: 'etcd-disk-stall',
    side,
    profile: side,
    metric: 'etcd.wal_fsync.p99{phase=before}',
    unit: 'ms' as const,
    objective: { op: '<' as const, threshold: 10, source: 'etcd' },
    median: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!,
    passed: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]! < 10,
    gating,
    environment: false,
    runs: values.map((value, i) => ({ runId: `${side}${i}`, value, passed: value < 10 })),
  });
  // both miss by about as much: environment
  const both = markEnvironmentFindings([
    check('A', false, [14, 15, 16, 15]),
    check('B', true, [15, 16, 17, 16]),
  ]);
  t.true(both[1]!.environment);
  // both miss, the candidate by far more: the profile
  const worse = markEnvironmentFindings([
    check('A', false, [12, 12, 13, 12]),
    check('B', true, [30, 31, 29, 32]),
  ]);
  t.false(worse[1]!.environment);
  // the baseline meets, the candidate misses in every run: fails
  const fails = markEnvironmentFindings([
    check('A', false, [5, 6, 5, 6]),
    check('B', true, [16, 17, 15, 18]),
  ]);
  t.false(fails[1]!.environment);
  // the baseline meets, the candidate's median misses but the runs overlap: the machine at its limit
  const limit = markEnvironmentFindings([
    check('A', false, [8, 12, 7, 9]),
    check('B', true, [11, 9, 13, 10.5]),
  ]);
  t.true(limit[1]!.environment);
});
