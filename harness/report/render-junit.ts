import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { GroupRef } from '../compare/comparison.ts';
import { formatPValue } from '../compare/format-number.ts';
import { groupLabel } from '../compare/group-runs.ts';
import { redact } from '../util/redact.ts';
import { isCalibrationGroup } from './calibration-group.ts';
import { formatShift, formatValue } from './format-value.ts';
import type { ReportData } from './report-data.ts';
import { runEndMs } from './runs-section.ts';

interface Case {
  classname: string;
  name: string;
  timeSeconds?: number;
  failure?: { type: string; message: string; detail: string };
  skipped?: string;
  out?: string;
}

/**
 * junit.xml for CI test views: a testsuite per scenario; a testcase per metric verdict (a
 * regression is a <failure>, a metric without a verdict <skipped> with the reason), per SLO check
 * (a gating miss is a <failure>) and per run (an excluded run is <skipped>). Test names hold no
 * verdicts or values, so a CI keeps one history per metric. Calibration pairs are left out.
 */
export function renderJunit(data: ReportData): string {
  const c = data.comparison;
  const suites = new Map<string, Case[]>();
  const add = (suite: string, tc: Case) => {
    const list = suites.get(suite);
    if (list) list.push(tc);
    else suites.set(suite, [tc]);
  };

  for (const pair of c.pairs.filter((p) => !p.calibration)) {
    const suite = groupLabel(pair);
    const classname = `${classPrefix(pair)}.${pair.baseline.side}-vs-${pair.candidate.side}`;
    for (const metric of pair.metrics) {
      const name = `${metric.key} (${pair.baseline.profile.name} vs ${pair.candidate.profile.name})`;
      const summary = metric.shift
        ? `shift ${formatShift(metric.shift.estimate, metric.unit)}, CI [${formatValue(metric.shift.ci.low, metric.unit)}, ${formatValue(metric.shift.ci.high, metric.unit)}], p=${metric.test ? formatPValue(metric.test.pValue) : '–'}`
        : '';
      const detail = `${metric.verdict}: ${metric.reason}\n${pair.baseline.side} median ${formatValue(metric.baseline.median, metric.unit)} (n=${metric.baseline.n}), ${pair.candidate.side} median ${formatValue(metric.candidate.median, metric.unit)} (n=${metric.candidate.n})${summary ? `\n${summary}` : ''}`;
      if (metric.verdict === 'regressed' && metric.role === 'primary') {
        add(suite, {
          classname,
          name,
          failure: { type: 'regression', message: `regressed: ${summary}`, detail },
        });
      } else if (metric.verdict === 'invalid' || metric.verdict === 'inconclusive') {
        add(suite, { classname, name, skipped: metric.reason });
      } else {
        add(suite, { classname, name, out: detail });
      }
    }
  }

  for (const s of c.slo.filter((x) => !isCalibrationGroup(c, x))) {
    const suite = groupLabel(s);
    const objective = `${s.objective.op} ${formatValue(s.objective.threshold, s.unit)}`;
    const missed = s.runs.filter((r) => !r.passed);
    const detail = `${s.side} (${s.profile}) median ${formatValue(s.median, s.unit)}, objective ${objective} (${s.objective.source}); ${missed.length} of ${s.runs.length} runs missed${missed.length ? `: ${missed.map((r) => `${r.runId}=${formatValue(r.value, s.unit)}`).join(', ')}` : ''}`;
    const tc: Case = {
      classname: `${classPrefix(s)}.slo`,
      name: `${s.metric} ${objective} [${s.side} ${s.profile}]`,
    };
    if (!s.passed && s.gating && (!s.environment || c.design?.strictSlo))
      tc.failure = {
        type: 'slo',
        message: `SLO missed: median ${formatValue(s.median, s.unit)}, objective ${objective}`,
        detail,
      };
    else
      tc.out = s.passed
        ? detail
        : s.environment
          ? `environment finding: the runs do not pin this miss on the profile (reported, not failed): ${detail}`
          : `baseline misses the SLO (reported, not failed): ${detail}`;
    add(suite, tc);
  }

  const excluded = new Map(c.excludedRuns.map((x) => [x.runId, x]));
  for (const r of data.runs) {
    const group = {
      comparisonId: '',
      scenario: r.run.scenario.name,
      ...(r.run.scenario.preset ? { preset: r.run.scenario.preset } : {}),
    };
    const suite = groupLabel(group);
    const reasons = excluded.get(r.run.runId)?.reasons ?? r.excludedBecause;
    add(suite, {
      classname: `${classPrefix(group)}.runs`,
      name: `run ${r.run.runId}`,
      timeSeconds: runEndMs(r) / 1000,
      ...(reasons.length
        ? { skipped: `excluded: ${reasons.join('; ')}` }
        : { out: `${r.run.profile.name}, ${r.run.status}` }),
    });
  }
  for (const x of c.excludedRuns) {
    if (data.runs.some((r) => r.run.runId === x.runId)) continue;
    const suite = x.scenario ?? 'unreadable runs';
    add(suite, {
      classname: `tuneproof.${suite.replace(/[^A-Za-z0-9_-]+/g, '-')}.runs`,
      name: `run ${x.runId}`,
      skipped: `excluded: ${x.reasons.join('; ')}`,
    });
  }

  const all = [...suites.values()].flat();
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    'testsuites',
    {
      name: 'tuneproof',
      tests: String(all.length),
      failures: String(all.filter((t) => t.failure).length),
      errors: '0',
      skipped: String(all.filter((t) => t.skipped !== undefined).length),
    },
  );
  for (const [name, cases] of suites)
    suiteXml(root, name, cases, data.generatedAt, c.outcome.headline);
  return redact(root.end({ prettyPrint: true }));
}

/** "tuneproof.node-unreachable.smoke": dots separate levels in CI test views. */
function classPrefix(g: Pick<GroupRef, 'scenario' | 'preset'>): string {
  return ['tuneproof', g.scenario, g.preset].filter(Boolean).join('.');
}

function suiteXml(root: XMLBuilder, name: string, cases: Case[], at: Date, headline: string): void {
  const suite = root.ele('testsuite', {
    name,
    tests: String(cases.length),
    failures: String(cases.filter((t) => t.failure).length),
    errors: '0',
    skipped: String(cases.filter((t) => t.skipped !== undefined).length),
    time: cases.reduce((s, t) => s + (t.timeSeconds ?? 0), 0).toFixed(3),
    timestamp: at.toISOString().replace(/\.\d+Z$/, ''),
  });
  suite.ele('properties').ele('property', { name: 'outcome', value: headline }).up();
  for (const tc of cases) {
    const el = suite.ele('testcase', {
      classname: tc.classname,
      name: tc.name,
      time: (tc.timeSeconds ?? 0).toFixed(3),
    });
    if (tc.failure)
      el.ele('failure', { type: tc.failure.type, message: tc.failure.message }).txt(
        tc.failure.detail,
      );
    if (tc.skipped !== undefined) el.ele('skipped', { message: tc.skipped });
    if (tc.out) el.ele('system-out').txt(tc.out);
  }
}
