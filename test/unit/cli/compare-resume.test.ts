import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import {
  type RawCompareOptions,
  resumeCompareOptions,
} from '../../../harness/cli/compare/compare-options.ts';
import { planFileName, readPlanFile } from '../../../harness/cli/compare/compare-plan-file.ts';
import { finishComparison } from '../../../harness/cli/compare/finish-comparison.ts';
import { lockResultsDir } from '../../../harness/cli/compare/results-lock.ts';
import { resumeState, supersedePending } from '../../../harness/cli/compare/resume-state.ts';
import { loadComparisonRuns, runDirOf } from '../../../harness/compare/comparison-runs.ts';
import { ConfigError, ExitCode } from '../../../harness/errors.ts';
import { loadReportData } from '../../../harness/report/report-data.ts';
import { writeReport } from '../../../harness/report/write-report.ts';
import { comparisonFixture, fakeScenarios, setupOf } from './compare-fixtures.ts';

/**
 * A comparison of default vs tuned, 4 repetitions (8 runs, A B | B A | ...), killed during its
 * sixth run: runs 1-5 are there (one failed, one invalid), run 6 still says `running`, runs 7-8
 * never started.
 */
function killedComparison() {
  const setup = setupOf({});
  const fx = comparisonFixture(setup);
  const [r1, r2, r3, r4, r5, r6] = fx.plan.toRun;
  fx.write(r1!);
  fx.write(r2!, { status: 'failed' });
  fx.write(r3!);
  fx.write(r4!, { invalid: ['mean CPU steal 9% > 5%'] });
  fx.write(r5!);
  fx.write(r6!, { status: 'killed' });
  return { setup, ...fx };
}

test('resume re-makes whole blocks: every block with a killed, failed, invalid or missing run', (t) => {
  const { dir, plan } = killedComparison();
  t.is(plan.toRun.length, 8);
  const state = resumeState(dir, plan.toRun);
  t.deepEqual(
    state.progress.map((p) => p.state),
    [
      'complete',
      'incomplete',
      'complete',
      'invalid',
      'complete',
      'incomplete',
      'missing',
      'missing',
    ],
  );
  // blocks (A B | B A | ...): runs 0-1, 2-3, 4-5, 6-7; each has a run to redo
  t.deepEqual(
    state.pending.map((r) => r.index),
    [0, 1, 2, 3, 4, 5, 6, 7],
  );
  t.deepEqual(
    state.redoneComplete.map((r) => r.index),
    [0, 2, 4],
  );
  t.is(state.completedDurationsMs.length, 3);
  t.true(state.completedDurationsMs.every((ms) => ms >= 0));
  t.regex(state.progress[1]!.reasons!.join(), /run failed: cluster never became Ready/);
  t.regex(state.progress[5]!.reasons!.join(), /run running.*never finished/);
});

test('earlier attempts move to superseded/ and are left out of the comparison', (t) => {
  const { dir, plan, write } = killedComparison();
  const state = resumeState(dir, plan.toRun);
  const moved = supersedePending(dir, state.progress);
  t.deepEqual(
    moved.map((m) => [m.runId, m.movedTo, m.state]),
    [1, 3, 5].map((i) => [
      plan.toRun[i]!.runId,
      join('superseded', `${plan.toRun[i]!.runId}.1`),
      i === 3 ? 'invalid' : 'incomplete',
    ]),
  );
  for (const i of [1, 3, 5]) t.false(existsSync(runDirOf(dir, plan.toRun[i]!.runId)));

  // the resumed comparison makes the pending runs; all complete this time
  for (const r of state.pending) write(r);
  t.deepEqual(resumeState(dir, plan.toRun).pending, []);
  const runs = loadComparisonRuns(dir);
  t.is(runs.runs.length, 8);
  t.is(runs.superseded.length, 3);

  const finished = finishComparison(dir, { planned: plan.toRun, calibrate: false });
  t.deepEqual(finished.comparison.excludedRuns, []);
  t.is(finished.comparison.outcome.status, 'pass');
  t.is(finished.comparison.outcome.counts.primary.improved, 1);
  t.is(finished.exitCode, ExitCode.success);
  t.is(finished.comparison.notes.filter((n) => n.includes('earlier attempt')).length, 3);

  // `report --recompute` reads the same runs: superseded attempts are neither shown nor excluded
  const recomputed = loadReportData(dir, { recompute: true });
  t.is(recomputed.comparisonSource, 'computed');
  t.is(recomputed.runs.length, 8);
  t.deepEqual(recomputed.comparison.excludedRuns, []);
  t.is(recomputed.comparison.outcome.counts.primary.improved, 1);
});

test('a second attempt that is superseded again gets the next number', (t) => {
  const { dir, plan, write } = killedComparison();
  supersedePending(dir, resumeState(dir, plan.toRun).progress);
  write(plan.toRun[1]!, { status: 'killed' });
  const moved = supersedePending(dir, resumeState(dir, plan.toRun).progress);
  t.deepEqual(
    moved.map((m) => m.movedTo),
    [join('superseded', `${plan.toRun[1]!.runId}.2`)],
  );
});

test('finishing without resuming lists failed, invalid and killed runs as excluded with their reasons', async (t) => {
  const { dir, plan } = killedComparison();
  const finished = finishComparison(dir, { planned: plan.toRun, calibrate: false });
  const excluded = finished.comparison.excludedRuns;
  t.deepEqual(
    excluded.map((x) => x.runId).sort(),
    [1, 3, 5].map((i) => plan.toRun[i]!.runId).sort(),
  );
  t.true(excluded.every((x) => x.reasons.length > 0));
  t.is(finished.comparison.outcome.status, 'invalid');
  t.is(finished.exitCode, ExitCode.invalidRun);
  t.true(finished.comparison.notes.some((n) => /2 planned run\(s\) never ran/.test(n)));

  // and the report shows each excluded run with its reason
  const report = await writeReport(dir);
  const html = readFileSync(report.files.html, 'utf8');
  t.regex(html, /cluster never became Ready/);
  t.regex(html, /mean CPU steal 9% &gt; 5%|mean CPU steal 9% > 5%/);
  t.regex(html, /never finished/);
  const md = readFileSync(report.files.markdown, 'utf8');
  t.regex(md, /excluded/i);
});

test('not one run completed and some failed: exit 4 (harness), not 3', (t) => {
  const setup = setupOf({});
  const fx = comparisonFixture(setup);
  for (const r of fx.plan.toRun.slice(0, 3)) fx.write(r, { status: 'failed' });
  const finished = finishComparison(fx.dir, { planned: fx.plan.toRun, calibrate: false });
  t.is(finished.exitCode, ExitCode.harnessError);
});

test('resume takes the request from plan.json; options given again must agree', (t) => {
  const { dir } = killedComparison();
  const plan = readPlanFile(dir);
  const resume = (raw: RawCompareOptions, given: string[]) =>
    resumeCompareOptions(plan, { resume: dir, ...raw }, new Set(given), {
      scenarios: fakeScenarios,
    });

  const setup = resume({}, []);
  t.deepEqual(setup.request, plan.request);
  t.deepEqual(
    setup.profiles.map((p) => p.name),
    ['default', 'tuned'],
  );

  t.notThrows(() => resume({ profiles: 'default,tuned', repeat: '4' }, ['profiles', 'repeat']));
  const e = t.throws(
    () =>
      resume({ profiles: 'default,other', repeat: '5', preset: 'standard' }, [
        'profiles',
        'repeat',
        'preset',
      ]),
    { instanceOf: ConfigError },
  ) as ConfigError;
  t.deepEqual(
    e.problems.map((p) => p.path),
    ['--profiles', '--repeat', '--preset'],
  );
  t.regex(e.problems[1]!.message, /differs from the comparison being resumed \(4\)/);
});

test('resume refuses a profile whose values changed since the comparison started', (t) => {
  const { dir } = killedComparison();
  const path = join(dir, planFileName);
  const raw = JSON.parse(readFileSync(path, 'utf8'));
  raw.profiles[1].digest =
    'sha256:0000000000000000000000000000000000000000000000000000000000000000';
  writeFileSync(path, JSON.stringify(raw));
  const e = t.throws(
    () =>
      resumeCompareOptions(readPlanFile(dir), { resume: dir }, new Set(), {
        scenarios: fakeScenarios,
      }),
    { instanceOf: ConfigError },
  ) as ConfigError;
  t.deepEqual(
    e.problems.map((p) => p.path),
    ['--resume'],
  );
  t.regex(e.problems[0]!.message, /profile tuned .* changed since the comparison started/);
});

test('one compare per results directory; a lock left by a dead process is taken over', (t) => {
  const { dir } = killedComparison();
  const lockPath = join(dir, '.compare.lock');
  writeFileSync(lockPath, '1\n'); // pid 1 is alive (init)
  t.throws(() => lockResultsDir(dir), { instanceOf: ConfigError, message: /\(pid 1\) is writing/ });
  writeFileSync(lockPath, '999999999\n');
  const release = lockResultsDir(dir);
  t.is(readFileSync(lockPath, 'utf8').trim(), String(process.pid));
  release();
  t.false(existsSync(lockPath));
});
