import { markdownTable } from 'markdown-table';
import type { MetricComparison, PairComparison, SloCheck } from '../compare/comparison.ts';
import { formatNumber, formatPValue } from '../compare/format-number.ts';
import { groupLabel } from '../compare/group-runs.ts';
import { isCalibrationGroup } from './calibration-group.ts';
import { escapeMarkdown as m } from './escape-markdown.ts';
import { formatPercent, formatShift, formatValue } from './format-value.ts';
import type { ReportData } from './report-data.ts';
import { sideLabel } from './side-palette.ts';
import { sortByVerdict } from './verdict-table.ts';

const statusIcon = { pass: '✅', fail: '❌', invalid: '⚠️' } as const;
const verdictIcon: Record<MetricComparison['verdict'], string> = {
  improved: '🟢 improved',
  regressed: '🔴 **regressed**',
  equivalent: '⚪ equivalent',
  inconclusive: '🟡 inconclusive',
  'no-significant-change': 'no significant change',
  changed: '🔵 changed',
  invalid: '⚠️ invalid',
};

/**
 * summary.md, for a CI job summary ($GITHUB_STEP_SUMMARY): the outcome line, per comparison a
 * table of the metrics that moved or lack a verdict (the unchanged ones folded away), SLO
 * misses and excluded runs. Calibration pairs are summarised in one line.
 */
export function renderMarkdown(data: ReportData): string {
  const c = data.comparison;
  const out: string[] = [
    `## tuneproof ${statusIcon[c.outcome.status]} ${m(c.outcome.headline)}`,
    '',
  ];
  const real = c.pairs.filter((p) => !p.calibration);
  for (const pair of real) out.push(...pairSection(pair, c.slo));
  const calibrations = c.pairs.filter((p) => p.calibration);
  if (calibrations.length) {
    out.push(
      `A/A calibration: ${calibrations.map((p) => `${m(groupLabel(p))} (${p.metrics.length} metrics)`).join(', ')}; its noise floor applies to the comparisons.`,
      '',
    );
  }
  if (real.length === 0) out.push(...runsSummary(data));
  const env = c.slo.filter((s) => s.environment);
  if (env.length) {
    out.push('### Environment findings (both sides miss these: the machine, not the profile)', '');
    for (const s of env) out.push(`- ${sloLine(s)}`);
    out.push('');
  }
  if (c.design && !c.design.interleaved)
    out.push(
      '> The baseline runs come from an earlier results directory (--baseline): they are **not interleaved** with the candidate, so a change of the machine between then and now shows as a difference.',
      '',
    );
  const misses = c.slo.filter((s) => !s.passed && !isCalibrationGroup(c, s));
  if (misses.length) {
    out.push('### SLO misses', '');
    for (const s of misses) out.push(`- ${sloLine(s)}`);
    out.push('');
  }
  if (c.excludedRuns.length) {
    out.push('### Excluded runs', '');
    for (const x of c.excludedRuns) {
      out.push(
        `- ${m(x.runId)}${x.profile ? ` (${m(x.profile)}, ${m(x.scenario ?? '')})` : ''}: ${m(x.reasons.join('; '))}`,
      );
    }
    out.push('');
  }
  for (const note of c.notes) out.push(`> ${m(note)}`, '');
  out.push(
    `<sub>α=${c.options.alpha}${c.options.lookAlpha === undefined ? '' : ` (this look ${c.options.lookAlpha.toPrecision(2)})`}: primaries Holm-adjusted against their margins, informational metrics Benjamini-Hochberg; exact intervals and tests. Full report: report.html.</sub>`,
    '',
  );
  return out.join('\n');
}

function pairSection(pair: PairComparison, slo: readonly SloCheck[]): string[] {
  const a = sideLabel(pair.baseline.side, pair.baseline.profile.name);
  const b = sideLabel(pair.candidate.side, pair.candidate.profile.name);
  const head = `### ${m(groupLabel(pair))}: ${m(a)} (${pair.baseline.runIds.length} runs) vs ${m(b)} (${pair.candidate.runIds.length} runs): ${verdictIcon[pair.verdict]}`;
  const rows = sortByVerdict(pair.metrics);
  const primaries = rows.filter((r) => r.role === 'primary');
  const info = rows.filter((r) => r.role !== 'primary');
  const moved = info.filter((r) => r.verdict !== 'no-significant-change');
  const quiet = info.filter((r) => r.verdict === 'no-significant-change');
  // primaries: the Holm-adjusted p the verdict used and the margin with the power report, as
  // in report.html; informational metrics: the Benjamini-Hochberg adjusted p
  const table = (list: MetricComparison[], primary = false) =>
    markdownTable(
      [
        [
          'Metric',
          `${m(pair.baseline.side)} median`,
          `${m(pair.candidate.side)} median`,
          'Shift (CI)',
          primary ? 'p (Holm)' : 'p (BH)',
          ...(primary ? ['Margin, power'] : []),
          'Verdict',
          'SLO',
        ],
        ...list.map((r) => [
          m(r.key),
          m(formatValue(r.baseline.median, r.unit)),
          m(formatValue(r.candidate.median, r.unit)),
          r.shift
            ? m(
                `${formatShift(r.shift.estimate, r.unit)} ${formatPercent(r.shift.relative)} [${formatValue(r.shift.ci.low, r.unit)}, ${formatValue(r.shift.ci.high, r.unit)}]`,
              )
            : '–',
          pText(r),
          ...(primary ? [marginText(r)] : []),
          `${verdictIcon[r.verdict]}${r.verdict === 'invalid' || r.role === 'primary' ? `: ${m(r.reason)}` : ''}`,
          sloText(
            slo.filter(
              (s) =>
                s.metric === r.key &&
                s.comparisonId === pair.comparisonId &&
                s.scenario === pair.scenario &&
                (s.side === pair.baseline.side || s.side === pair.candidate.side),
            ),
          ),
        ]),
      ],
      { alignDelimiters: false },
    );
  const out = [head, ''];
  if (primaries.length) out.push('**Primary metrics**', '', table(primaries, true), '');
  if (moved.length)
    out.push('**Informational metrics that moved** (never fail)', '', table(moved), '');
  if (quiet.length) {
    out.push(
      `<details><summary>${quiet.length} metric${quiet.length === 1 ? '' : 's'} without significant change</summary>`,
      '',
      table(quiet),
      '',
      '</details>',
      '',
    );
  }
  return out;
}

function pText(r: MetricComparison): string {
  if (r.primary) {
    const a = r.primary.adjusted;
    return m(formatPValue(Math.min(a.worse, a.better, a.equivalent)));
  }
  if (!r.test) return '–';
  return m(formatPValue(r.test.adjustedPValue ?? r.test.pValue));
}

/** "±4.87 s; detects ≥ 23.5 s (48.2%) at 5 vs 5 runs" */
function marginText(r: MetricComparison): string {
  const p = r.primary;
  if (!p) return '–';
  const d = p.detectable;
  const detect =
    d.absolute === null
      ? 'too few runs to detect any change'
      : `detects ≥ ${formatValue(d.absolute, r.unit)}${d.relative === null ? '' : ` (${formatNumber(d.relative * 100)}%)`} at ${d.runsPerSide[0]} vs ${d.runsPerSide[1]} runs`;
  return m(`±${formatValue(p.marginAbsolute, r.unit)}; ${detect}`);
}

function sloText(checks: readonly SloCheck[]): string {
  return checks.map((s) => `${m(s.side)} ${s.passed ? '✓' : s.gating ? '✗' : '(✗)'}`).join(' ');
}

function sloLine(s: SloCheck): string {
  const missed = s.runs.filter((r) => !r.passed).length;
  return `${s.environment ? '⚠️ environment' : s.gating ? '❌' : 'ℹ️ baseline'} ${m(groupLabel(s))} ${m(s.side)} (${m(s.profile)}): ${m(s.metric)} median ${m(formatValue(s.median, s.unit))}, objective ${m(`${s.objective.op} ${formatValue(s.objective.threshold, s.unit)}`)} (${m(s.objective.source)}); ${missed} of ${s.runs.length} runs missed`;
}

function runsSummary(data: ReportData): string[] {
  const c = data.comparison;
  if (c.sides.length === 0) return ['No usable runs.', ''];
  const rows = c.sides.map((s) => {
    const checks = c.slo.filter(
      (x) => x.comparisonId === s.comparisonId && x.scenario === s.scenario && x.side === s.side,
    );
    const failed = checks.filter((x) => !x.passed).length;
    return [
      m(groupLabel(s)),
      m(sideLabel(s.side, s.profile.name)),
      String(s.runIds.length),
      checks.length ? `${checks.length - failed}/${checks.length} met` : '–',
    ];
  });
  return [
    markdownTable([['Scenario', 'Profile', 'Runs', 'SLOs'], ...rows], { alignDelimiters: false }),
    '',
  ];
}
