import type { MetricComparison, PairComparison, SloCheck, Verdict } from '../compare/comparison.ts';
import { formatPValue } from '../compare/format-number.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatPercent, formatShift, formatValue } from './format-value.ts';

const verdictText: Record<Verdict, string> = {
  improved: 'improved',
  regressed: 'regressed',
  'no-significant-change': 'no significant change',
  changed: 'changed',
  invalid: 'invalid',
};

/** Regressions first, then what needs a look, then the rest, keeping metric order within. */
const verdictOrder: Record<Verdict, number> = {
  regressed: 0,
  invalid: 1,
  improved: 2,
  changed: 3,
  'no-significant-change': 4,
};

export function verdictBadge(v: Verdict): string {
  return `<span class="badge v-${v}">${verdictText[v]}</span>`;
}

export function sortByVerdict<T extends { verdict: Verdict }>(rows: readonly T[]): T[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => verdictOrder[x.row.verdict] - verdictOrder[y.row.verdict] || x.i - y.i)
    .map(({ row }) => row);
}

/** The SLO cell: each side's median against the objective; gating misses in red. */
export function sloCell(checks: readonly SloCheck[]): string {
  if (checks.length === 0) return '';
  const first = checks[0]!;
  const parts = checks.map((c) => {
    const cls = c.passed ? 'slo-pass' : c.gating ? 'slo-miss' : 'slo-info';
    const missedRuns = c.runs.filter((r) => !r.passed).length;
    const title = `${c.side} median ${formatValue(c.median, c.unit)}; ${missedRuns} of ${c.runs.length} runs miss`;
    return `<span class="${cls}" title="${e(title)}">${e(c.side)} ${c.passed ? '✓' : '✗'}</span>`;
  });
  const objective = `${first.objective.op} ${formatValue(first.objective.threshold, first.unit)}`;
  return `${parts.join(' ')}<span class="reason" title="${e(first.objective.source)}">${e(objective)}</span>`;
}

function shiftCell(m: MetricComparison): string {
  if (!m.shift) return '–';
  const { estimate, relative, ci } = m.shift;
  const pct = formatPercent(relative);
  return `${e(formatShift(estimate, m.unit))}${pct ? ` <small>(${e(pct)})</small>` : ''}<span class="reason">${Math.round(ci.confidence * 100)}% CI [${e(formatValue(ci.low, m.unit))}, ${e(formatValue(ci.high, m.unit))}]</span>`;
}

/** The verdict table of one pair: a row per metric. */
export function verdictTable(pair: PairComparison, slo: readonly SloCheck[]): string {
  const a = e(pair.baseline.side);
  const b = e(pair.candidate.side);
  const rows = sortByVerdict(pair.metrics).map((m) => {
    const checks = slo.filter(
      (c) =>
        c.metric === m.key && (c.side === pair.baseline.side || c.side === pair.candidate.side),
    );
    const description = m.description ? ` title="${e(m.description)}"` : '';
    return `<tr class="verdict-row" data-verdict="${m.verdict}">
<td${description}><code>${e(m.key)}</code></td>
<td>${e(m.unit)}</td>
<td class="num">${e(formatValue(m.baseline.median, m.unit))}<span class="reason">n=${m.baseline.n}</span></td>
<td class="num">${e(formatValue(m.candidate.median, m.unit))}<span class="reason">n=${m.candidate.n}</span></td>
<td class="num">${shiftCell(m)}</td>
<td class="num">${m.test ? e(formatPValue(m.test.pValue)) : '–'}${m.test ? `<span class="reason">${m.test.method}${m.test.ties ? ', ties' : ''}</span>` : ''}</td>
<td class="num">${m.noiseFloor === undefined ? '–' : `±${e(formatValue(m.noiseFloor, m.unit))}`}</td>
<td>${verdictBadge(m.verdict)}<span class="reason">${e(m.reason)}</span></td>
<td>${sloCell(checks)}</td>
</tr>`;
  });
  return `<table class="verdicts">
<thead><tr><th>Metric</th><th>Unit</th><th>${a} median</th><th>${b} median</th><th>Shift ${b}−${a}</th><th>p-value</th><th>Noise floor</th><th>Verdict</th><th>SLO</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
