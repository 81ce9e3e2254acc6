import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { compareRuns } from '../../../harness/compare/compare-runs.ts';
import { writeComparison } from '../../../harness/compare/comparison-file.ts';
import { seededRandom } from '../../../harness/compare/seeded-random.ts';
import { bestSplit, eDivisive } from '../../../harness/history/e-divisive.ts';
import { writeHistory } from '../../../harness/history/history-file.ts';
import { nightlyHistory } from '../../../harness/history/nightly-history.ts';
import { writeReport } from '../../../harness/report/write-report.ts';
import { verdictsOf } from '../../../scenarios/verdicts-of.ts';
import { metricSets } from '../compare/simulation/metric-sets.ts';
import { normal, syntheticComparison } from '../compare/simulation/simulate.ts';
import { writeFixtureRuns } from '../report/fixture-runs.ts';

test('E-divisive: the energy statistic splits where the level shifts', (t) => {
  const xs = [10, 11, 10, 9, 10, 30, 31, 29, 30, 31];
  t.is(bestSplit(xs, 3)?.index, 5);
});

test('E-divisive finds planted level shifts and none in noise', (t) => {
  const random = seededRandom(42);
  const noise = (mean: number, n: number) => Array.from({ length: n }, () => mean + normal(random));
  const shifted = [...noise(48, 12), ...noise(40, 10), ...noise(44, 10)];
  t.deepEqual(
    eDivisive(shifted).map((c) => c.index),
    [12, 22],
  );
  let falseAlarms = 0;
  for (let i = 0; i < 20; i++) falseAlarms += eDivisive(noise(10, 30), { seed: i }).length;
  t.true(falseAlarms <= 2, `${falseAlarms} change points in 20 series of noise`);
});

test('history: a primary metric night by night, the night it shifted flagged, the trend in report.html', async (t) => {
  const random = seededRandom(9);
  const models = metricSets['node-unreachable']!;
  const dirs: string[] = [];
  for (let night = 0; night < 12; night++) {
    const dir = mkdtempSync(join(tmpdir(), 'tp-night-'));
    // from night 7 on, the candidate reacts 10 s slower
    const shift: Record<string, number> = night >= 6 ? { 'unreachable.time_to_not_ready': 10 } : {};
    const c = compareRuns(syntheticComparison('node-unreachable', models, 4, random, shift), {
      verdictsOf,
      now: new Date(Date.UTC(2026, 10, 1 + night, 2, 17)),
    });
    writeComparison(dir, c);
    dirs.push(dir);
  }
  const history = nightlyHistory([...dirs].reverse());
  t.is(history.nights.length, 12);
  const notReady = history.series.find(
    (s) => s.metric === 'unreachable.time_to_not_ready' && s.profile === 'candidate',
  )!;
  t.is(notReady.points.length, 12);
  t.deepEqual(
    notReady.changes.map((c) => c.index),
    [6],
  );
  t.true(notReady.changes[0]!.after - notReady.changes[0]!.before > 7);
  const baseline = history.series.find(
    (s) => s.metric === 'unreachable.time_to_not_ready' && s.profile === 'default',
  )!;
  t.deepEqual(baseline.changes, []);

  // tonight's results directory gains the trend
  const tonight = mkdtempSync(join(tmpdir(), 'tp-tonight-'));
  writeFixtureRuns(tonight, { samples: false });
  writeHistory(tonight, history);
  const report = await writeReport(tonight);
  const html = readFileSync(report.files.html, 'utf8');
  t.regex(html, /<h2>Nightly trend/);
  t.true((html.match(/<figure class="chart trend-chart"/g)?.length ?? 0) >= 2);
  t.regex(html, /candidate: from 2026-11-07/);
});
