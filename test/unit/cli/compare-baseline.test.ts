import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { adoptBaselineRuns } from '../../../harness/cli/compare/baseline-runs.ts';
import { parseCompareOptions } from '../../../harness/cli/compare/compare-options.ts';
import { finishComparison } from '../../../harness/cli/compare/finish-comparison.ts';
import { planComparison } from '../../../harness/cli/compare/plan-comparison.ts';
import { comparisonDirs } from '../../../harness/compare/comparison-runs.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { renderMarkdown } from '../../../harness/report/render-markdown.ts';
import { loadReportData } from '../../../harness/report/report-data.ts';
import { comparisonFixture, fakeScenarios, setupOf } from './compare-fixtures.ts';

/**
 * "Last good night": default vs tuned with an A/A calibration, 4 repetitions. Of default's runs
 * one failed, one ran with other parameters; the calibration runs also ran default.
 */
function lastGoodNight() {
  const setup = setupOf({ calibrate: true });
  const fx = comparisonFixture(setup, 'cmp-lastgood');
  const defaults = fx.plan.toRun.filter((r) => r.profile === 'default' && !r.calibration);
  for (const r of fx.plan.toRun) {
    if (r === defaults[1]) fx.write(r, { status: 'failed' });
    else if (r === defaults[2]) fx.write(r, { params: { durationSeconds: 99, rate: 30 } });
    else fx.write(r);
  }
  return { ...fx, defaults };
}

test('the baseline is the earlier directory’s complete runs of the first profile, same parameters', (t) => {
  const lastGood = lastGoodNight();
  const setup = setupOf({ baseline: lastGood.dir });
  const found = setup.baseline!.byScenario.get('apiserver-load')!;
  t.deepEqual(
    found.map((r) => r.run.runId).sort(),
    [lastGood.defaults[0]!.runId, lastGood.defaults[3]!.runId].sort(),
  );
  const [note] = setup.baseline!.notes;
  t.regex(note!, /2 run\(s\) .* not used/);
  t.regex(note!, /run failed: cluster never became Ready/);
  t.regex(note!, /other parameters \(durationSeconds\)/);
});

test('a baseline without usable runs for a scenario is a problem at --baseline', (t) => {
  const lastGood = lastGoodNight();
  const e = t.throws(
    () =>
      parseCompareOptions(
        {
          profiles: 'default,tuned',
          scenarios: 'apiserver-load',
          baseline: lastGood.dir,
          set: ['rate=7'],
        },
        { scenarios: fakeScenarios },
      ),
    { instanceOf: ConfigError },
  ) as ConfigError;
  t.deepEqual(
    e.problems.map((p) => p.path),
    ['--baseline'],
  );
  t.regex(
    e.problems[0]!.message,
    /no usable apiserver-load run of profile default with preset smoke/,
  );
  t.regex(e.problems[0]!.message, /other parameters \(rate\)/);
});

test('with --baseline only the candidate runs are made; the baseline’s are copied in as side A', (t) => {
  const lastGood = lastGoodNight();
  const setup = setupOf({ baseline: lastGood.dir });
  const tonight = comparisonFixture(setup, 'cmp-tonight');
  t.true(tonight.plan.toRun.every((r) => r.profile === 'tuned' && r.side === 'B'));
  t.is(tonight.plan.toRun.length, 4);
  t.is(tonight.plan.fromBaseline.length, 4);

  const baselineRuns = setup.baseline!.byScenario.get('apiserver-load')!;
  const copied = adoptBaselineRuns(baselineRuns, tonight.dir, 'cmp-tonight');
  t.deepEqual(
    copied.map((d) => d.startsWith(join(tonight.dir, comparisonDirs.baseline))),
    [true, true],
  );
  const run = JSON.parse(readFileSync(join(copied[0]!, 'run.json'), 'utf8'));
  t.is(run.plan.comparisonId, 'cmp-tonight');
  t.is(run.plan.side, 'A');
  t.is(run.adoptedFrom.plan.comparisonId, 'cmp-lastgood');
  t.is(run.metrics.length, 1, 'what was measured is kept');

  for (const r of tonight.plan.toRun) tonight.write(r);
  const { comparison } = finishComparison(tonight.dir, {
    planned: tonight.plan.toRun,
    calibrate: false,
  });
  t.is(comparison.pairs.length, 1);
  const [pair] = comparison.pairs;
  t.false(pair!.calibration);
  t.deepEqual(pair!.baseline.runIds.sort(), baselineRuns.map((r) => r.run.runId).sort());
  t.is(pair!.candidate.runIds.length, 4);
  t.is(pair!.candidate.profile.name, 'tuned');
  // 2 baseline runs vs 4: smallest p = 2/15 > 0.05, so no verdict is possible; said so
  t.regex(pair!.metrics[0]!.reason, /too few runs: with 2 vs 4 runs/);
  // and the comparison says its runs were not interleaved
  t.is(comparison.design?.interleaved, false);
  const report = loadReportData(tonight.dir);
  t.regex(renderMarkdown(report), /\*\*not interleaved\*\*/);
});

test('too few baseline runs for a verdict is warned about before anything runs', (t) => {
  const lastGood = lastGoodNight();
  const setup = setupOf({ baseline: lastGood.dir });
  t.true(setup.warnings.some((w) => /with 2 vs 4 runs the smallest possible p-value/.test(w)));
});

test('calibrating one profile makes only the A/A pair', (t) => {
  const setup = setupOf({ profiles: 'default', calibrate: true });
  const plan = planComparison(setup, 'cmp-aa');
  t.is(plan.toRun.length, 8);
  t.true(plan.toRun.every((r) => r.calibration && r.profile === 'default'));
  t.deepEqual(plan.fromBaseline, []);
});
