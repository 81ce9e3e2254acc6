import test from 'ava';
import { compareRuns } from '../../../harness/compare/compare-runs.ts';
import { Comparison } from '../../../harness/compare/comparison.ts';
import { ExitCode } from '../../../harness/errors.ts';
import { fakeRun, latency, sidesOf } from './fake-runs.ts';

const fast = [100, 104, 98, 101, 99];
const slow = [130, 128, 135, 131, 127];

test('a clear slowdown of the candidate is a regression with exit verdictFailure', (t) => {
  const c = compareRuns(sidesOf(fast, slow));
  t.notThrows(() => Comparison.parse(c));
  t.is(c.pairs.length, 1);
  const m = c.pairs[0]!.metrics[0]!;
  t.is(m.key, 'api.latency.p99{verb=GET}');
  t.is(m.verdict, 'regressed');
  t.is(m.shift?.estimate, 30);
  t.is(m.test?.method, 'exact');
  t.is(c.outcome.status, 'fail');
  t.is(c.outcome.verdict, 'regressed');
  t.is(c.outcome.exitCode, ExitCode.verdictFailure);
});

test('a clear speed-up is an improvement with exit success', (t) => {
  const c = compareRuns(sidesOf(slow, fast));
  t.is(c.pairs[0]!.metrics[0]!.verdict, 'improved');
  t.is(c.outcome.status, 'pass');
  t.is(c.outcome.exitCode, ExitCode.success);
  t.regex(c.outcome.headline, /^PASS: 1 primary metric improved/);
});

test('the same data and seed give the same comparison', (t) => {
  const now = new Date('2025-01-01T00:00:00Z');
  t.deepEqual(compareRuns(sidesOf(fast, slow), { now }), compareRuns(sidesOf(fast, slow), { now }));
});

test('2 runs a side: inconclusive, too few runs, never "no change" and never a failure', (t) => {
  const c = compareRuns(sidesOf([100, 101], [200, 201]));
  const m = c.pairs[0]!.metrics[0]!;
  t.is(m.verdict, 'inconclusive');
  t.regex(m.reason, /too few runs: with 2 vs 2 runs the smallest one-sided p is 0\.17/);
  t.is(m.primary?.detectable.absolute, null);
  t.is(c.outcome.status, 'pass');
  t.regex(c.outcome.headline, /1 primary metric inconclusive/);
});

test('3 runs a side can decide one primary: the one-sided exact p reaches 1/20 = 0.05', (t) => {
  const c = compareRuns(sidesOf([100, 101, 102], [200, 201, 202]));
  t.is(c.pairs[0]!.metrics[0]!.verdict, 'regressed');
});

test('invalid and failed runs are excluded with their reasons', (t) => {
  const runs = [
    ...sidesOf(fast, slow),
    fakeRun({
      runId: 'x1',
      profile: 'tuned',
      side: 'B',
      comparisonId: 'cmp',
      invalid: ['host CPU steal 12%'],
      metrics: [latency(1)],
    }),
    fakeRun({
      runId: 'x2',
      profile: 'tuned',
      side: 'B',
      comparisonId: 'cmp',
      status: 'failed',
      metrics: [latency(1)],
    }),
  ];
  const c = compareRuns(runs);
  t.deepEqual(
    c.excludedRuns.map((x) => [x.runId, x.reasons]),
    [
      ['x1', ['host CPU steal 12%']],
      ['x2', ['run failed']],
    ],
  );
  t.is(c.pairs[0]!.candidate.runIds.length, 5);
  // the regression is measured on the valid runs and still fails
  t.is(c.outcome.status, 'fail');
  t.regex(c.outcome.headline, /2 runs excluded/);
});

test('no regression but an excluded run: invalid', (t) => {
  const runs = [
    ...sidesOf(slow, fast),
    fakeRun({
      runId: 'x1',
      profile: 'tuned',
      side: 'B',
      comparisonId: 'cmp',
      invalid: ['unhealthy cluster'],
    }),
  ];
  const c = compareRuns(runs);
  t.is(c.outcome.verdict, 'improved');
  t.is(c.outcome.status, 'invalid');
  t.is(c.outcome.exitCode, ExitCode.invalidRun);
});

test('a metric only one side observed is a change, reported with why, and does not void the outcome', (t) => {
  const runs = sidesOf(fast, slow, { metric: (v) => latency(v) });
  runs.push(
    fakeRun({
      runId: 'extra',
      profile: 'default',
      side: 'A',
      comparisonId: 'cmp',
      metrics: [latency(1, { name: 'only.a' })],
    }),
  );
  const c = compareRuns(runs, {
    verdictsOf: () => ({
      primaries: [
        {
          metric: 'api.latency.p99{verb=GET}',
          direction: 'lower',
          margin: { relative: 0.1 },
          why: 'test',
        },
      ],
    }),
  });
  const onlyA = c.pairs[0]!.metrics.find((m) => m.name === 'only.a')!;
  t.is(onlyA.verdict, 'changed');
  t.regex(onlyA.reason, /only the baseline observed it/);
  t.is(c.outcome.counts.invalid, 0);
  t.not(c.outcome.status, 'invalid');
});

test('SLOs: the candidate gates, the baseline is reported', (t) => {
  const slo = { op: '<=' as const, threshold: 120, source: 'test' };
  const c = compareRuns(sidesOf(slow, fast, { metric: (v) => latency(v, { slo }) }));
  const [a, b] = c.slo;
  t.is(a?.side, 'A');
  t.false(a?.passed);
  t.false(a?.gating);
  t.is(b?.side, 'B');
  t.true(b?.passed);
  t.true(b?.gating);
  t.is(c.outcome.status, 'pass');

  // a miss only counts against the candidate when its runs are worse than the baseline's by
  // more than 25% of the objective (30 ms here); slow (~130 ms) is not, much slower is
  const slower = slow.map((v) => v + 40);
  const near = compareRuns(sidesOf(fast, slow, { metric: (v) => latency(v, { slo }) }));
  t.is(near.outcome.counts.sloFailures, 0);
  t.is(near.outcome.counts.environmentFindings, 1);
  const worse = compareRuns(sidesOf(fast, slower, { metric: (v) => latency(v, { slo }) }));
  t.is(worse.outcome.counts.sloFailures, 1);
  t.regex(worse.outcome.headline, /1 SLO missed/);
});

test('a single profile: no pairs, its SLOs gate', (t) => {
  const slo = { op: '<=' as const, threshold: 120, source: 'test' };
  const runs = slow.map((v, i) =>
    fakeRun({ runId: `r${i}`, profile: 'tuned', metrics: [latency(v, { slo })] }),
  );
  const c = compareRuns(runs);
  t.is(c.pairs.length, 0);
  t.is(c.sides.length, 1);
  t.is(c.sides[0]!.side, 'tuned');
  t.is(c.outcome.verdict, undefined);
  t.is(c.outcome.status, 'fail');
  t.is(c.outcome.exitCode, ExitCode.verdictFailure);
});

test('no runs at all: invalid', (t) => {
  const c = compareRuns([]);
  t.is(c.outcome.status, 'invalid');
  t.regex(c.outcome.headline, /no usable runs/);
});

test('runs outside a plan: sides are profiles, "default" is the baseline', (t) => {
  const runs = [
    ...slow.map((v, i) =>
      fakeRun({ runId: `t${i}`, profile: 'tuned', repetition: i, metrics: [latency(v)] }),
    ),
    ...fast.map((v, i) =>
      fakeRun({ runId: `d${i}`, profile: 'default', repetition: i + 10, metrics: [latency(v)] }),
    ),
  ];
  const c = compareRuns(runs);
  t.is(c.pairs[0]!.baseline.side, 'default');
  t.is(c.pairs[0]!.candidate.side, 'tuned');
  t.is(c.pairs[0]!.metrics[0]!.verdict, 'regressed');
  t.is(compareRuns(runs, { baseline: 'tuned' }).pairs[0]!.metrics[0]!.verdict, 'improved');
});

test('a side that mixes profile digests is noted', (t) => {
  const runs = sidesOf(fast, slow);
  runs.push(
    fakeRun({
      runId: 'odd',
      profile: 'tuned',
      digest: 'sha256:other',
      side: 'B',
      comparisonId: 'cmp',
      repetition: 9,
      metrics: [latency(130)],
    }),
  );
  t.regex(compareRuns(runs).notes.join('\n'), /mixes 2 different digests/);
});

test('units that differ between sides make the metric invalid', (t) => {
  const runs = [
    ...sidesOf(fast, [], {}),
    ...slow.map((v, i) =>
      fakeRun({
        runId: `b${i}`,
        profile: 'tuned',
        side: 'B',
        comparisonId: 'cmp',
        metrics: [latency(v, { unit: 's' })],
      }),
    ),
  ];
  const m = compareRuns(runs).pairs[0]!.metrics[0]!;
  t.is(m.verdict, 'invalid');
  t.regex(m.reason, /units differ/);
});

test('an A/A calibration alone: its primaries are judged, named in the headline, and never fail', (t) => {
  const c = compareRuns(
    sidesOf([100, 106, 95, 103, 98, 101], [97, 104, 108, 99, 94, 102], {
      profiles: ['default', 'default'],
      comparisonId: 'cmp-aa',
    }),
  );
  t.true(c.pairs[0]!.calibration);
  t.is(c.pairs[0]!.metrics[0]!.role, 'primary');
  t.not(c.pairs[0]!.metrics[0]!.verdict, 'regressed');
  t.is(c.outcome.status, 'pass');
  t.regex(c.outcome.headline, /A\/A calibration primaries: 1 (equivalent|inconclusive)/);
});
