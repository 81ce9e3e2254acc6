import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { pendingRuns, planProgress } from '../../../harness/compare/plan-progress.ts';
import { type PlannedRun, planRuns } from '../../../harness/compare/plan-runs.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { RunWriter } from '../../../harness/results/run-writer.ts';

const order = (runs: readonly PlannedRun[]) =>
  runs.map((r) => `${r.side}${r.calibration ? "'" : ''}`).join(' ');

test('two profiles, ABBA: A B | B A | A B | B A', (t) => {
  const plan = planRuns({ profiles: ['default', 'tuned'], scenarios: ['s1'], repeat: 4 });
  t.is(order(plan.runs), 'A B B A A B B A');
  t.deepEqual(
    plan.runs.map((r) => r.repetition),
    [1, 1, 2, 2, 3, 3, 4, 4],
  );
  t.deepEqual(
    plan.runs.map((r) => r.index),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
});

test('ABBA balances positions: each side has the same mean index over two blocks', (t) => {
  const runs = planRuns({ profiles: ['a', 'b', 'c'], scenarios: ['s'], repeat: 2 }).runs;
  const mean = (side: string) => {
    const xs = runs.filter((r) => r.side === side).map((r) => r.index);
    return xs.reduce((s, x) => s + x, 0) / xs.length;
  };
  t.is(order(runs), 'A B C C B A');
  t.is(mean('A'), mean('B'));
  t.is(mean('B'), mean('C'));
});

test('alternate order: A B A B', (t) => {
  const plan = planRuns({
    profiles: ['default', 'tuned'],
    scenarios: ['s1'],
    repeat: 3,
    order: 'alternate',
  });
  t.is(order(plan.runs), 'A B A B A B');
});

test('calibration adds an A/A pair to every block, with its own comparison id', (t) => {
  const plan = planRuns({
    profiles: ['default', 'tuned'],
    scenarios: ['s1'],
    repeat: 2,
    calibrate: true,
    comparisonId: 'nightly',
  });
  t.is(order(plan.runs), "A B A' B' B' A' B A");
  t.is(plan.calibrationId, 'nightly-aa');
  const cal = plan.runs.filter((r) => r.calibration);
  t.true(cal.every((r) => r.profile === 'default' && r.comparisonId === 'nightly-aa'));
  t.true(plan.runs.filter((r) => !r.calibration).every((r) => r.comparisonId === 'nightly'));
});

test('scenarios run one after another, each interleaved', (t) => {
  const plan = planRuns({ profiles: ['default', 'tuned'], scenarios: ['s1', 's2'], repeat: 2 });
  t.deepEqual(
    plan.runs.map((r) => `${r.scenario}:${r.side}`),
    ['s1:A', 's1:B', 's1:B', 's1:A', 's2:A', 's2:B', 's2:B', 's2:A'],
  );
});

test('run ids are stable, unique and readable', (t) => {
  const opts = {
    profiles: ['default', 'Tuned v2'],
    scenarios: ['node-unreachable'],
    repeat: 3,
    calibrate: true,
  };
  const one = planRuns(opts);
  const two = planRuns(opts);
  t.deepEqual(one, two);
  t.is(new Set(one.runs.map((r) => r.runId)).size, one.runs.length);
  t.regex(one.comparisonId, /^cmp-[0-9a-f]{8}$/);
  t.is(one.runs[1]!.runId, `${one.comparisonId}_node-unreachable_b-tuned-v2_r01`);
  t.true(one.runs.every((r) => /^[a-z0-9._-]+$/.test(r.runId)));
});

test('the default id ignores repeat, so a longer resumed plan finds the runs made', (t) => {
  const short = planRuns({ profiles: ['a', 'b'], scenarios: ['s'], repeat: 2 });
  const long = planRuns({ profiles: ['a', 'b'], scenarios: ['s'], repeat: 5 });
  t.deepEqual(
    short.runs.map((r) => r.runId),
    long.runs.slice(0, 4).map((r) => r.runId),
  );
  t.not(
    planRuns({ profiles: ['a', 'c'], scenarios: ['s'], repeat: 2 }).comparisonId,
    short.comparisonId,
  );
});

test('every problem of the options is reported at once', (t) => {
  const e = t.throws(() => planRuns({ profiles: ['a', 'a'], scenarios: [], repeat: 0 }), {
    instanceOf: ConfigError,
  });
  t.deepEqual(
    e?.problems.map((p) => p.path),
    ['profiles', 'scenarios', 'repeat'],
  );
});

test('resume: which planned runs the results directory already holds', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-plan-'));
  const plan = planRuns({
    profiles: ['default', 'tuned'],
    scenarios: ['s1'],
    repeat: 3,
    comparisonId: 'cmp',
  });
  const write = (run: PlannedRun, finish: 'complete' | 'failed' | 'running', invalid?: string) => {
    const w = new RunWriter(join(dir, run.runId), {
      runId: run.runId,
      toolVersion: 'test',
      profile: { name: run.profile, digest: run.profile, values: {} },
      scenario: { name: run.scenario },
      plan: { comparisonId: run.comparisonId, side: run.side, repetition: run.repetition },
    });
    if (invalid) w.markInvalid(invalid);
    if (finish !== 'running') w.finish(finish);
  };
  const [r0, r1, r2, r3] = plan.runs;
  write(r0!, 'complete');
  write(r1!, 'complete', 'host contention');
  write(r2!, 'failed');
  write(r3!, 'running'); // killed: run.json says running
  const progress = planProgress(plan.runs, dir);
  t.deepEqual(
    progress.map((p) => p.state),
    ['complete', 'invalid', 'incomplete', 'incomplete', 'missing', 'missing'],
  );
  t.deepEqual(progress[1]!.reasons, ['host contention']);
  t.is(progress[0]!.dir, r0!.runId);
  t.deepEqual(
    pendingRuns(progress).map((r) => r.index),
    [1, 2, 3, 4, 5],
  );
});

test('resume: a retried run that completed counts as complete', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-plan-'));
  const plan = planRuns({ profiles: ['a', 'b'], scenarios: ['s'], repeat: 1, comparisonId: 'cmp' });
  const run = plan.runs[0]!;
  const init = {
    runId: run.runId,
    toolVersion: 'test',
    profile: { name: 'a', digest: 'a', values: {} },
    scenario: { name: 's' },
  };
  new RunWriter(join(dir, `${run.runId}.try1`), init).finish('failed');
  new RunWriter(join(dir, `${run.runId}.try2`), init).finish('complete');
  const [first] = planProgress(plan.runs, dir);
  t.is(first!.state, 'complete');
  t.is(first!.dir, `${run.runId}.try2`);
});
