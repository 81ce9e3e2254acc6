import { max, median, min } from 'simple-statistics';
import type { Comparison, SloCheck } from '../compare/comparison.ts';
import { groupLabel, sameGroup } from '../compare/group-runs.ts';
import { configSection } from './config-section.ts';
import { escapeHtml as e } from './escape-html.ts';
import { formatValue } from './format-value.ts';
import { distributionCharts, metricCharts } from './group-charts.ts';
import { type GroupView, groupAnchor, metricsOf, valuesOf } from './group-view.ts';
import { sideLabel } from './side-palette.ts';
import { sloCell, verdictBadge, verdictTable } from './verdict-table.ts';

/** One scenario group: verdict tables (or run summaries), SLOs, charts, effective-config diff. */
export async function groupSection(g: GroupView, comparison: Comparison): Promise<string> {
  const pairs = comparison.pairs.filter((p) => sameGroup(p, g));
  const slo = comparison.slo.filter((c) => sameGroup(c, g));
  const calibrationOnly = pairs.length > 0 && pairs.every((p) => p.calibration);
  const legend = g.sides
    .map(
      (s) =>
        `<span><span class="swatch" style="background:${s.colour}"></span><b>${e(s.label)}</b> <small>${s.runs.length} run${s.runs.length === 1 ? '' : 's'}, digest <code>${e(s.profile.digest.replace(/^sha256:/, '').slice(0, 12))}</code></small></span>`,
    )
    .join(' &nbsp; ');
  const parts: string[] = [
    `<section class="group" id="${groupAnchor(g)}">`,
    `<h2>${e(groupLabel(g))}${calibrationOnly ? ' — A/A calibration' : ''} <small class="mono">${e(g.comparisonId)}</small></h2>`,
    `<p class="legend">${legend}</p>`,
  ];
  if (calibrationOnly) {
    parts.push(
      '<p class="muted">The same profile on both sides, interleaved like the comparison: the shifts found here are noise. Their size (the larger of |shift| and the CI half-width) is the noise floor applied to the comparison.</p>',
    );
  }
  for (const pair of pairs) {
    const head = `<p class="pair-head"><b>${e(sideLabel(pair.baseline.side, pair.baseline.profile.name))}</b> vs <b>${e(sideLabel(pair.candidate.side, pair.candidate.profile.name))}</b>: ${pair.calibration ? '<span class="muted">calibration</span>' : verdictBadge(pair.verdict)}</p>`;
    const table = verdictTable(pair, slo);
    parts.push(
      pair.calibration
        ? `<details class="calibration"><summary>A/A calibration table (${pair.metrics.length} metrics)</summary>${head}${table}</details>`
        : `${head}${table}`,
    );
  }
  if (pairs.length === 0) parts.push(summaryTable(g, slo));
  const failing = slo.filter((c) => !c.passed);
  if (failing.length > 0) parts.push(sloTable(failing));

  // A calibration's charts would repeat the baseline's; they are left out to keep the page small.
  if (!calibrationOnly) {
    const charts = await metricCharts(g, slo);
    const percentiles = await distributionCharts(g);
    parts.push(
      `<h3>Per-run values</h3><p class="muted">A dot per run, the bar is the median; a dashed red line marks the SLO.</p>${charts}`,
    );
    if (percentiles) {
      parts.push(
        `<h3>Latency percentiles</h3><p class="muted">A line per run, from its HDR histogram.</p>${percentiles}`,
      );
    }
  }
  if (!calibrationOnly) parts.push(configSection(g));
  parts.push('</section>');
  return parts.join('\n');
}

function summaryTable(g: GroupView, slo: readonly SloCheck[]): string {
  const rows: string[] = [];
  for (const [key, m] of metricsOf(g)) {
    for (const s of g.sides) {
      const xs = valuesOf(s.runs, key).map((v) => v.value);
      if (xs.length === 0) continue;
      const checks = slo.filter((c) => c.metric === key && c.side === s.side);
      rows.push(`<tr><td><code>${e(key)}</code></td><td>${e(s.label)}</td><td>${e(m.unit)}</td><td class="num">${xs.length}</td>
<td class="num">${e(formatValue(median(xs), m.unit))}</td><td class="num">${e(formatValue(min(xs), m.unit))}</td><td class="num">${e(formatValue(max(xs), m.unit))}</td><td>${sloCell(checks)}</td></tr>`);
    }
  }
  return `<p class="muted">One profile ran here: no comparison, the runs' values and SLOs only.</p>
<table class="summary"><thead><tr><th>Metric</th><th>Side</th><th>Unit</th><th>Runs</th><th>Median</th><th>Min</th><th>Max</th><th>SLO</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`;
}

function sloTable(failing: readonly SloCheck[]): string {
  const rows = failing.map((c) => {
    const missed = c.runs
      .filter((r) => !r.passed)
      .map((r) => `${r.runId} (${formatValue(r.value, c.unit)})`);
    return `<tr class="${c.gating ? 'attention' : ''}"><td><code>${e(c.metric)}</code></td><td>${e(c.side)} · ${e(c.profile)}</td>
<td>${e(`${c.objective.op} ${formatValue(c.objective.threshold, c.unit)}`)}<span class="reason">${e(c.objective.source)}</span></td>
<td class="num">${e(formatValue(c.median, c.unit))}</td><td>${c.gating ? '<span class="slo-miss">fails the run</span>' : '<span class="slo-info">baseline: reported only</span>'}</td>
<td><small>${e(missed.join(', '))}</small></td></tr>`;
  });
  return `<h3>SLO misses</h3><table class="slo"><thead><tr><th>Metric</th><th>Side</th><th>Objective</th><th>Median</th><th>Effect</th><th>Runs that missed</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
}
