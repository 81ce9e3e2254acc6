import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { writeReport } from '../../../harness/report/write-report.ts';
import { hostileText, writeFixtureRuns } from './fixture-runs.ts';

interface Testcase {
  '@_classname': string;
  '@_name': string;
  failure?: { '@_type': string; '@_message': string };
  skipped?: { '@_message': string };
}

async function junitFor(options: Parameters<typeof writeFixtureRuns>[1]) {
  const dir = mkdtempSync(join(tmpdir(), 'tp-junit-'));
  writeFixtureRuns(dir, { samples: false, ...options });
  const { files } = await writeReport(dir);
  const xml = readFileSync(files.junit, 'utf8');
  const parsed = new XMLParser({
    ignoreAttributes: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml);
  const suites = parsed.testsuites.testsuite as {
    '@_name': string;
    '@_tests': string;
    testcase: Testcase[];
  }[];
  return { xml, parsed, suites, cases: suites.flatMap((s) => s.testcase) };
}

test('well-formed, one suite per scenario, counts that add up', async (t) => {
  const { xml, parsed, suites, cases } = await junitFor({ calibrate: true, invalidRun: true });
  t.is(XMLValidator.validate(xml), true);
  t.deepEqual(
    suites.map((s) => s['@_name']),
    ['node-unreachable [smoke]'],
  );
  t.is(Number(parsed.testsuites['@_tests']), cases.length);
  t.is(Number(suites[0]!['@_tests']), cases.length);
  // 8 metric verdicts + 2 SLOs x 2 sides (calibration SLOs left out) + 20 runs
  t.is(cases.length, 8 + 4 + 20);
});

test('primary regressions and the gating SLO miss are failures (informational regressions are not); the excluded run is skipped', async (t) => {
  const { parsed, cases } = await junitFor({ calibrate: true, invalidRun: true });
  const failures = cases.filter((c) => c.failure);
  t.deepEqual(
    failures.map((c) => [c['@_name'], c.failure!['@_type']]),
    [['api.latency.p99{verb=LIST} <= 300 ms [B tuned]', 'slo']],
  );
  t.is(Number(parsed.testsuites['@_failures']), 1);
  const skipped = cases.filter((c) => c.skipped);
  t.is(skipped.length, 1);
  t.regex(skipped[0]!.skipped!['@_message'], /excluded: host CPU steal/);
  t.true(cases.every((c) => c['@_classname'].startsWith('tuneproof.node-unreachable.smoke.')));
});

test('primaries without a verdict are skipped with the reason', async (t) => {
  const { cases } = await junitFor({ repeat: 2 });
  const metricCases = cases.filter((c) => c['@_classname'].endsWith('.A-vs-B'));
  t.is(metricCases.length, 8);
  const skipped = metricCases.filter((c) => c.skipped);
  t.is(skipped.length, 3);
  t.true(skipped.every((c) => /too few runs/.test(c.skipped?.['@_message'] ?? '')));
});

test('markup in data stays data', async (t) => {
  const { xml, cases } = await junitFor({ hostile: true });
  t.is(XMLValidator.validate(xml), true);
  t.false(xml.includes(hostileText));
  t.true(cases.some((c) => c['@_name'].includes('<script>alert(2)</script>')));
});
