import type { MetricComparison, PairComparison, SloCheck, Verdict } from '../compare/comparison.ts';
import { formatNumber, formatPValue } from '../compare/format-number.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatPercent, formatShift, formatValue } from './format-value.ts';

const verdictText: Record<Verdict, string> = {
  improved: 'improved',
  regressed: 'regressed',
  equivalent: 'equivalent',
  inconclusive: 'inconclusive',
  'no-significant-change': 'no significant change',
  changed: 'changed',
  invalid: 'invalid',
};

/** Regressions first, then what needs a look, then the rest, keeping metric order within. */
const verdictOrder: Record<Verdict, number> = {
  regressed: 0,
  invalid: 1,
  inconclusive: 2,
  improved: 3,
  equivalent: 4,
  changed: 5,
  'no-significant-change': 6,
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
  const bound = m.censored
    ? ' <small title="some runs did not reach it within the window: the shift is a bound">(bound)</small>'
    : '';
  return `${e(formatShift(estimate, m.unit))}${pct ? ` <small>(${e(pct)})</small>` : ''}${bound}<span class="reason">${(ci.confidence * 100).toFixed(1)}% CI [${e(formatValue(ci.low, m.unit))}, ${e(formatValue(ci.high, m.unit))}]</span>`;
}

/** Margin and power of a primary: "±2 s; detects ≥ 9.1 s (19%)". */
function marginCell(m: MetricComparison): string {
  const p = m.primary;
  if (!p) return '–';
  const d = p.detectable;
  const detect =
    d.absolute === null
      ? 'too few runs to detect any change'
      : `detects ≥ ${formatValue(d.absolute, m.unit)}${d.relative === null ? '' : ` (${formatNumber(d.relative * 100)}%)`} at ${d.runsPerSide[0]} vs ${d.runsPerSide[1]} runs`;
  return `±${e(formatValue(p.marginAbsolute, m.unit))}<span class="reason">${e(detect)}</span>`;
}

function pCell(m: MetricComparison): string {
  if (m.primary) {
    const a = m.primary.adjusted;
    return `${e(formatPValue(Math.min(a.worse, a.better, a.equivalent)))}<span class="reason">Holm; worse ${e(formatPValue(a.worse))}, better ${e(formatPValue(a.better))}, equiv. ${e(formatPValue(a.equivalent))}</span>`;
  }
  if (!m.test) return '–';
  const q = m.test.adjustedPValue;
  return `${e(formatPValue(m.test.pValue))}<span class="reason">${q === undefined ? '' : `BH ${e(formatPValue(q))}, `}${m.test.name === 'gehan' ? 'Gehan, ' : ''}${m.test.method}${m.test.ties ? ', ties' : ''}</span>`;
}

/**
 * The verdict tables of one pair: the primary metrics first (they decide), then the
 * informational ones, folded when there are many.
 */
export function verdictTable(pair: PairComparison, slo: readonly SloCheck[]): string {
  const primaries = pair.metrics.filter((m) => m.role === 'primary');
  const info = pair.metrics.filter((m) => m.role !== 'primary');
  const parts: string[] = [];
  if (primaries.length)
    parts.push(`<h3>Primary metrics</h3>${metricTable(pair, primaries, slo, true)}`);
  if (info.length) {
    const moved = info.filter((m) => m.verdict !== 'no-significant-change').length;
    parts.push(
      `<details class="informational"${primaries.length ? '' : ' open'}><summary>Informational metrics: ${info.length} (${moved} moved; Benjamini-Hochberg, never fail)</summary>${metricTable(pair, info, slo, false)}</details>`,
    );
  }
  return parts.join('\n');
}

function metricTable(
  pair: PairComparison,
  metrics: readonly MetricComparison[],
  slo: readonly SloCheck[],
  primary: boolean,
): string {
  const a = e(pair.baseline.side);
  const b = e(pair.candidate.side);
  const rows = sortByVerdict(metrics).map((m) => {
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
<td class="num">${pCell(m)}</td>
<td class="num">${primary ? marginCell(m) : m.noiseFloor === undefined ? '–' : `±${e(formatValue(m.noiseFloor, m.unit))}`}</td>
<td>${verdictBadge(m.verdict)}<span class="reason">${e(m.reason)}</span></td>
<td>${sloCell(checks)}</td>
</tr>`;
  });
  return `<table class="verdicts">
<thead><tr><th>Metric</th><th>Unit</th><th>${a} median</th><th>${b} median</th><th>Shift ${b}−${a}</th><th>p-value</th><th>${primary ? 'Margin, power' : 'A/A noise floor'}</th><th>Verdict</th><th>SLO</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}
