import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readComparison, writeComparison } from '../../../harness/compare/comparison-file.ts';
import { ExitCode } from '../../../harness/errors.ts';
import { type ReportResult, writeReport } from '../../../harness/report/write-report.ts';
import { writeFixtureRuns } from './fixture-runs.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tp-report-'));

let dir = '';
let result: ReportResult;
let html = '';
let md = '';

test.before(async () => {
  dir = tempDir();
  writeFixtureRuns(dir, { calibrate: true, invalidRun: true });
  result = await writeReport(dir, { now: new Date('2025-06-01T12:00:00Z') });
  html = readFileSync(result.files.html, 'utf8');
  md = readFileSync(result.files.markdown, 'utf8');
});

test('writes the three files into the results directory', (t) => {
  t.deepEqual(result.files, {
    html: join(dir, 'report.html'),
    markdown: join(dir, 'summary.md'),
    junit: join(dir, 'junit.xml'),
  });
  for (const path of Object.values(result.files)) t.true(statSync(path).size > 0);
});

test('the outcome: a missed SLO fails, with the excluded run named; informational regressions do not', (t) => {
  t.is(result.exitCode, ExitCode.verdictFailure);
  t.is(result.comparison.outcome.headline, 'FAIL: 1 SLO missed, 1 run excluded');
  t.deepEqual(result.comparison.outcome.counts.primary, {
    improved: 3,
    regressed: 0,
    equivalent: 0,
    inconclusive: 0,
    invalid: 0,
  });
  t.is(result.comparison.outcome.counts.regressed, 2);
  t.is(result.comparison.noiseFloor.source, 'calibration');
});

test('report.html: one self-contained page, small, with no script and no external reference', (t) => {
  t.true(html.length < 2_000_000, `report.html is ${html.length} bytes`);
  t.notRegex(html, /<script/i);
  t.notRegex(html, /\b(?:src|href)="(?:https?:)?\/\//i);
  t.regex(html, /Content-Security-Policy" content="default-src 'none'/);
});

test('report.html: a verdict table row per metric, charts as inline SVG', (t) => {
  const main = html.slice(0, html.indexOf('A/A calibration table'));
  t.is(main.match(/<tr class="verdict-row"/g)?.length, 8);
  t.regex(main, /data-verdict="regressed"/);
  t.regex(main, /data-verdict="improved"/);
  // primaries first
  t.true(main.indexOf('<h3>Primary metrics</h3>') < main.indexOf('Informational metrics'));
  t.true(main.indexOf('unreachable.time_to_not_ready') < main.indexOf('api.latency.p99'));
  t.is(html.match(/<figure class="chart metric-chart"/g)?.length, 8);
  t.is(html.match(/<figure class="chart percentile-chart"/g)?.length, 1);
  t.is(html.match(/<figure class="chart timeline-chart"/g)?.length, 20);
  t.true((html.match(/<svg /g)?.length ?? 0) >= 29);
});

test('report.html: svg ids are unique across charts', (t) => {
  const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
  t.is(new Set(ids).size, ids.length);
});

test('report.html: the effective-config diff shows differing and failing knobs only', (t) => {
  const config = html.slice(html.indexOf('<table class="config">'));
  const table = config.slice(0, config.indexOf('</table>'));
  t.regex(table, /max_concurrent_downloads/);
  t.regex(table, /not-applicable/);
  t.regex(table, /nodeStatusUpdateFrequency/);
  t.notRegex(table, /max-requests-inflight/);
  t.is(table.match(/<tr class="attention">/g)?.length, 2);
});

test('summary.md: the outcome line, the moved metrics, SLO misses and excluded runs', (t) => {
  t.true(md.startsWith('## tuneproof ❌ FAIL: 1 SLO missed, 1 run excluded\n'));
  t.regex(md, /\| api\.latency\.p99\\\{verb=GET\\\} \| .* \| 🔴 \*\*regressed\*\* \|/);
  t.regex(md, /### SLO misses\n\n- ❌ .*api\.latency\.p99\\\{verb=LIST\\\}/);
  t.regex(
    md,
    /### Excluded runs\n\n- cmp-fixture\\_node-unreachable\\_b-tuned\\_r01 .*host CPU steal/,
  );
  t.regex(md, /<details><summary>3 metrics without significant change<\/summary>/);
  t.true(md.length < 64 * 1024);
});

test('summary.md: primaries first, with the Holm-adjusted p and the margin and power report', (t) => {
  // seen in a real run: summary.md gave the primaries' unadjusted two-sided p (0.0079 where the
  // verdict used Holm's 0.012) and no margin or power, which report.html shows
  const primary = md.slice(md.indexOf('**Primary metrics**'), md.indexOf('**Informational'));
  t.true(md.indexOf('**Primary metrics**') < md.indexOf('**Informational metrics that moved**'));
  t.regex(
    primary,
    /\| Metric \| A median \| B median \| Shift \(CI\) \| p \(Holm\) \| Margin, power \| Verdict \| SLO \|/,
  );
  const pair = result.comparison.pairs.find((p) => !p.calibration)!;
  for (const r of pair.metrics.filter((x) => x.role === 'primary')) {
    const row = primary
      .split('\n')
      .find((l) => l.startsWith(`| ${r.key.replace(/[_{}]/g, (c) => `\\${c}`)} |`));
    t.truthy(row, r.key);
    const a = r.primary!.adjusted;
    const holm = Math.min(a.worse, a.better, a.equivalent);
    const cells = row!.split(' | ');
    t.is(Number(cells[4]), Number(holm.toPrecision(2)), r.key);
    t.regex(
      cells[5]!,
      /^±\S+.*; (detects ≥ .* at \d+ vs \d+ runs|too few runs to detect any change)$/,
      r.key,
    );
  }
  t.regex(
    md,
    /\*\*Informational metrics that moved\*\* \(never fail\)\n\n\| Metric \| A median \| B median \| Shift \(CI\) \| p \(BH\) \| Verdict \| SLO \|/,
  );
});

test('comparison.json, when present, is what the report shows', async (t) => {
  const d = tempDir();
  writeFixtureRuns(d, { samples: false });
  const first = await writeReport(d);
  writeComparison(d, {
    ...first.comparison,
    outcome: {
      ...first.comparison.outcome,
      status: 'pass',
      exitCode: 0,
      headline: 'PASS: as recorded',
    },
  });
  t.is(readComparison(d)?.outcome.headline, 'PASS: as recorded');
  const second = await writeReport(d);
  t.is(second.exitCode, ExitCode.success);
  t.regex(readFileSync(second.files.markdown, 'utf8'), /PASS: as recorded/);
  const recomputed = await writeReport(d, { recompute: true });
  t.is(recomputed.exitCode, ExitCode.verdictFailure);
});

test('a single profile: a report of its runs and SLOs', async (t) => {
  const d = tempDir();
  writeFixtureRuns(d, { profiles: ['tuned'], repeat: 3, samples: false });
  const r = await writeReport(d);
  t.is(r.comparison.pairs.length, 0);
  const page = readFileSync(r.files.html, 'utf8');
  t.regex(page, /One profile ran here/);
  t.regex(page, /<table class="summary">/);
  const summary = readFileSync(r.files.markdown, 'utf8');
  t.regex(summary, /\| Scenario \| Profile \| Runs \| SLOs \|/);
  // tuned misses the LIST SLO on its median, and it is the only side: it gates
  t.is(r.exitCode, ExitCode.verdictFailure);
});

test('too few runs: primaries inconclusive, never "no change"', async (t) => {
  const d = tempDir();
  writeFixtureRuns(d, { repeat: 2, samples: false });
  const r = await writeReport(d);
  const primaries = r.comparison.pairs[0]!.metrics.filter((m) => m.role === 'primary');
  t.is(primaries.length, 3);
  t.true(primaries.every((m) => m.verdict === 'inconclusive'));
  // 2 runs a side cannot pin the candidate's LIST SLO miss on the profile (the smallest
  // one-sided p is 1/6): it is shown as an environment finding and does not fail
  t.is(r.exitCode, ExitCode.success);
  t.is(r.comparison.outcome.counts.environmentFindings, 1);
  const md = readFileSync(r.files.markdown, 'utf8');
  t.regex(md, /too few runs/);
  t.regex(md, /### Environment findings/);
});

test('an empty directory: a report saying so, exit invalidRun', async (t) => {
  const d = tempDir();
  const r = await writeReport(d);
  t.is(r.exitCode, ExitCode.invalidRun);
  t.regex(readFileSync(r.files.html, 'utf8'), /No runs found/);
  t.regex(readFileSync(r.files.markdown, 'utf8'), /no usable runs/);
});
