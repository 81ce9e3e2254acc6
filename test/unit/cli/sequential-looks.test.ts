import test from 'ava';
import { runSequential } from '../../../harness/cli/compare/sequential-looks.ts';
import type { Comparison } from '../../../harness/compare/comparison.ts';
import { planRuns } from '../../../harness/compare/plan-runs.ts';

/** A comparison whose one primary has the given verdict. */
const comparisonWith = (verdict: string) =>
  ({
    outcome: { headline: verdict },
    pairs: [{ calibration: false, metrics: [{ role: 'primary', verdict }] }],
  }) as unknown as Comparison;

function setup(decideAt: number) {
  const plan = planRuns({
    profiles: ['default', 'tuned'],
    scenarios: ['s1', 's2'],
    repeat: 8,
    order: 'randomised',
    seed: 5,
  });
  const made: number[] = [];
  const looks: { blocks: number; alpha: number }[] = [];
  return {
    made,
    looks,
    run: () =>
      runSequential({
        pending: plan.runs,
        minBlocks: 5,
        maxBlocks: 8,
        alpha: 0.05,
        execute: async (runs) => {
          made.push(...runs.map((r) => r.repetition));
          return { executed: [], stopped: false };
        },
        look: (state, alpha) => {
          looks.push({ blocks: state.blocks, alpha });
          return comparisonWith(state.blocks >= decideAt ? 'improved' : 'inconclusive');
        },
      }),
  };
}

test('--repeat auto: an obvious answer stops at the first look, block by block across scenarios', async (t) => {
  const s = setup(5);
  const r = await s.run();
  t.deepEqual(s.made, [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5]);
  t.deepEqual(
    s.looks.map((l) => l.blocks),
    [5],
  );
  t.is(r.state?.stopped, 'decided');
  t.is(r.state?.blocks, 5);
});

test('--repeat auto: a close answer gets more blocks, up to the maximum; the looks spend alpha', async (t) => {
  const s = setup(99);
  const r = await s.run();
  t.deepEqual(
    s.looks.map((l) => l.blocks),
    [5, 6, 7, 8],
  );
  t.is(r.state?.stopped, 'max-blocks');
  const spent = s.looks.reduce((a, l) => a + l.alpha, 0);
  t.true(Math.abs(spent - 0.05) < 1e-12);
});

test('randomised plan: recorded seed fixes it; first blocks alternate between scenarios', (t) => {
  const opts = { profiles: ['a', 'b'], scenarios: ['s1', 's2', 's3'], repeat: 4 } as const;
  const one = planRuns({ ...opts, order: 'randomised', seed: 9 });
  t.deepEqual(one, planRuns({ ...opts, order: 'randomised', seed: 9 }));
  const firstOf = (s: string) => one.runs.find((r) => r.scenario === s)!.side;
  t.deepEqual(['s1', 's2', 's3'].map(firstOf), ['A', 'B', 'A']);
  // every pair of blocks is balanced: one A-first, one B-first
  for (const s of ['s1', 's2', 's3']) {
    const firsts = [1, 2, 3, 4].map(
      (r) => one.runs.find((x) => x.scenario === s && x.repetition === r)!.side,
    );
    t.not(firsts[0], firsts[1]);
    t.not(firsts[2], firsts[3]);
  }
  const seeds = new Set(
    [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
      planRuns({ ...opts, repeat: 8, order: 'randomised', seed })
        .runs.map((r) => r.side)
        .join(''),
    ),
  );
  t.true(seeds.size > 1, 'different seeds give different orders');
});
