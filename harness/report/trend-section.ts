import { formatNumber } from '../compare/format-number.ts';
import type { History, HistorySeries } from '../history/nightly-history.ts';
import { escapeHtml as e } from './escape-html.ts';
import { trendChart } from './trend-chart.ts';

/**
 * The nightly trend of every primary metric (history.json, from `tuneproof history --out`): a
 * chart per scenario and metric, and the level shifts found, in words.
 */
export async function trendSection(history: History): Promise<string> {
  const groups = new Map<string, HistorySeries[]>();
  for (const s of history.series) {
    const key = `${s.scenario} · ${s.metric}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const parts: string[] = [
    `<section class="group" id="trend"><h2>Nightly trend <small>${history.nights.length} nights, ${e(history.nights[0]?.at.slice(0, 10) ?? '')} to ${e(history.nights.at(-1)?.at.slice(0, 10) ?? '')}</small></h2>`,
    '<p class="muted">Each primary metric night by night (median of the night\'s runs per profile); a dashed red line marks a night where the level shifted (E-divisive means, permutation p ≤ 0.01).</p>',
  ];
  for (const [title, series] of groups) {
    const shifts = series.flatMap((s) =>
      s.changes.map(
        (c) =>
          `<li>${e(s.profile)}: from ${e(c.at.slice(0, 10))} ${e(formatNumber(c.before))} → ${e(formatNumber(c.after))} ${e(s.unit)} (p=${e(formatNumber(c.pValue))})</li>`,
      ),
    );
    parts.push(
      `<figure class="chart trend-chart">${await trendChart(title, series)}</figure>${shifts.length ? `<ul>${shifts.join('')}</ul>` : ''}`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}
