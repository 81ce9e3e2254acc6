import { median } from 'simple-statistics';
import type { SloCheck } from '../compare/comparison.ts';
import { type Distribution, metricKey } from '../results/schema.ts';
import { escapeHtml as e } from './escape-html.ts';
import { type GroupView, metricsOf, valuesOf } from './group-view.ts';
import { metricValuesChart } from './metric-values-chart.ts';
import { percentileChart } from './percentile-chart.ts';

/** Charts per kind per scenario; past this the report lists what it left out. */
export const maxChartsPerKind = 80;

/** A per-run values chart per metric of the group, every side in it. */
export async function metricCharts(g: GroupView, slo: readonly SloCheck[]): Promise<string> {
  const metrics = [...metricsOf(g)];
  const svgs: string[] = [];
  for (const [key, m] of metrics.slice(0, maxChartsPerKind)) {
    const objective = slo.find((c) => c.metric === key)?.objective ?? m.slo;
    const svg = await metricValuesChart({
      title: key,
      unit: m.unit,
      sides: g.sides.map((s) => {
        const values = valuesOf(s.runs, key);
        return {
          label: s.label,
          colour: s.colour,
          values,
          median: values.length ? median(values.map((v) => v.value)) : null,
        };
      }),
      ...(objective ? { slo: objective } : {}),
    });
    svgs.push(`<figure class="chart metric-chart" data-metric="${e(key)}">${svg}</figure>`);
  }
  const omitted = metrics.length - svgs.length;
  return `<div class="charts">${svgs.join('\n')}</div>${omitted > 0 ? `<p class="muted">${omitted} more metrics not charted.</p>` : ''}`;
}

/** A percentile chart per distribution of the group; empty when the runs recorded none. */
export async function distributionCharts(g: GroupView): Promise<string> {
  const keys = new Map<string, Distribution>();
  for (const s of g.sides)
    for (const r of s.runs)
      for (const d of r.run.distributions) if (!keys.has(metricKey(d))) keys.set(metricKey(d), d);
  if (keys.size === 0) return '';
  const svgs: string[] = [];
  for (const [key, d] of [...keys].slice(0, maxChartsPerKind)) {
    const sides = g.sides.map((s) => ({
      label: s.label,
      colour: s.colour,
      runs: s.runs.flatMap((r) =>
        r.run.distributions
          .filter((x) => metricKey(x) === key && x.count > 0)
          .slice(-1)
          .map((distribution) => ({ runId: r.run.runId, distribution })),
      ),
    }));
    if (sides.every((s) => s.runs.length === 0)) continue;
    const svg = await percentileChart({ title: key, unit: d.unit, sides });
    svgs.push(
      `<figure class="chart percentile-chart" data-distribution="${e(key)}">${svg}</figure>`,
    );
  }
  return `<div class="charts">${svgs.join('\n')}</div>`;
}
