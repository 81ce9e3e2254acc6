import test from 'ava';
import {
  estimateRemainingMs,
  executePlan,
  formatDuration,
  type RunAttempt,
} from '../../../harness/cli/compare/execute-plan.ts';
import { planRuns } from '../../../harness/compare/plan-runs.ts';
import { ConfigError } from '../../../harness/errors.ts';
import type { Logger } from '../../../harness/util/log.ts';

const plan = planRuns({ profiles: ['default', 'tuned'], scenarios: ['apiserver-load'], repeat: 2 });

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: () => {},
    step: (_s, _d, fn) => fn(),
  };
  return { log, lines };
}

/** A clock that advances 60 s per run. */
function clock(): { now: () => number; tick: () => void } {
  let t = 0;
  return {
    now: () => t,
    tick: () => {
      t += 60_000;
    },
  };
}

test('one failed run does not stop the others; progress says which of how many and what is left', async (t) => {
  const { log, lines } = recorder();
  const c = clock();
  const outcomes: (RunAttempt | Error)[] = [
    { status: 'complete', invalid: [] },
    {
      status: 'failed',
      invalid: [],
      error: 'bring-up of cluster tp-1 failed at step "ready"\nmore',
    },
    new Error('docker went away'),
    { status: 'complete', invalid: ['mean CPU steal 9% > 5%'] },
  ];
  const result = await executePlan({
    runs: plan.runs,
    total: plan.runs.length,
    log,
    now: c.now,
    runOne: async () => {
      c.tick();
      const next = outcomes.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
  });
  t.false(result.stopped);
  t.deepEqual(
    result.executed.map((e) => e.attempt.status),
    ['complete', 'failed', 'failed', 'complete'],
  );
  t.is(result.executed[2]!.attempt.error, 'docker went away');
  t.deepEqual(lines, [
    'Run 1/4: apiserver-load, profile default (side A, repetition 1) on a fresh cluster; elapsed 0s, estimate after the first run',
    'Run 1/4 complete after 1m00s',
    'Run 2/4: apiserver-load, profile tuned (side B, repetition 1) on a fresh cluster; elapsed 1m00s, about 3m00s left for 3 runs',
    'warning: Run 2/4 failed after 1m00s: bring-up of cluster tp-1 failed at step "ready"; it is excluded and the comparison goes on',
    'Run 3/4: apiserver-load, profile tuned (side B, repetition 2) on a fresh cluster; elapsed 2m00s, about 2m00s left for 2 runs',
    'warning: Run 3/4 failed after 1m00s: docker went away; it is excluded and the comparison goes on',
    'Run 4/4: apiserver-load, profile default (side A, repetition 2) on a fresh cluster; elapsed 3m00s, about 1m00s left for 1 run',
    'warning: Run 4/4 complete after 1m00s but invalid, so excluded: mean CPU steal 9% > 5%',
  ]);
});

test('a resume counts on from the runs already done and estimates from their durations', async (t) => {
  const { log, lines } = recorder();
  const c = clock();
  await executePlan({
    runs: plan.runs.slice(3),
    total: 4,
    done: 3,
    priorDurationsMs: [100_000, 140_000],
    log,
    now: c.now,
    runOne: async () => ({ status: 'complete', invalid: [] }),
  });
  t.regex(lines[0]!, /^Run 4\/4: .* about 2m00s left for 1 run$/);
});

test("--repeat auto, one call per block: elapsed and what is left are the whole comparison's", async (t) => {
  // seen in a real --repeat auto run: block 2's first line said "elapsed 0s, estimate after the
  // first run" after two runs of 4m27s and 8m10s
  const { log, lines } = recorder();
  const c = clock();
  const startedAt = c.now();
  c.tick();
  c.tick();
  await executePlan({
    runs: plan.runs.slice(2),
    total: 16,
    done: 2,
    priorDurationsMs: [60_000, 60_000],
    startedAt,
    laterRuns: 12,
    log,
    now: c.now,
    runOne: async () => {
      c.tick();
      c.tick();
      return { status: 'complete', invalid: [] };
    },
  });
  t.regex(lines[0]!, /^Run 3\/16: .* elapsed 2m00s, about 14m00s left for at most 14 runs$/);
  // mean of 1, 1 and 2 minutes, times 13 runs left
  t.regex(lines[2]!, /^Run 4\/16: .* elapsed 4m00s, about 17m20s left for at most 13 runs$/);
});

test('a ConfigError stops the comparison: it would fail every run', async (t) => {
  const { log } = recorder();
  await t.throwsAsync(
    executePlan({
      runs: plan.runs,
      total: 4,
      log,
      runOne: async () => {
        throw new ConfigError('scenario x', [
          { path: 'provider', message: 'lacks', severity: 'error' },
        ]);
      },
    }),
    { instanceOf: ConfigError },
  );
});

test('Ctrl-C: no new run starts, and an interrupted run stops the loop', async (t) => {
  const { log } = recorder();
  let stop = false;
  const made: number[] = [];
  const first = await executePlan({
    runs: plan.runs,
    total: 4,
    log,
    stopRequested: () => stop,
    runOne: async (r) => {
      made.push(r.index);
      stop = r.index === 1;
      return { status: 'complete', invalid: [] };
    },
  });
  t.true(first.stopped);
  t.deepEqual(made, [0, 1]);

  const second = await executePlan({
    runs: plan.runs,
    total: 4,
    log,
    runOne: async () => ({ status: 'interrupted', invalid: [] }),
  });
  t.true(second.stopped);
  t.is(second.executed.length, 1);

  // a run that fails because Ctrl-C removed its cluster is reported as interrupted
  const { log: log3, lines } = recorder();
  let stop3 = false;
  const third = await executePlan({
    runs: plan.runs,
    total: 4,
    log: log3,
    stopRequested: () => stop3,
    runOne: async () => {
      stop3 = true;
      return { status: 'failed', invalid: [], error: 'fetch failed' };
    },
  });
  t.true(third.stopped);
  t.is(third.executed.length, 1);
  t.regex(lines.at(-1)!, /^warning: Run 1\/4 interrupted after/);
});

test('durations and estimates', (t) => {
  t.is(formatDuration(42_400), '42s');
  t.is(formatDuration(400_000), '6m40s');
  t.is(formatDuration(3_720_000), '1h02m');
  t.is(estimateRemainingMs([], 3), undefined);
  t.is(estimateRemainingMs([60_000, 120_000], 3), 270_000);
});
