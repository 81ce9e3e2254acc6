import type { TopLevelSpec } from 'vega-lite';
import type { Distribution, Unit } from '../results/schema.ts';
import { redact } from '../util/redact.ts';
import { renderSvg } from './render-svg.ts';

export interface SideDistributions {
  label: string;
  colour: string;
  runs: { runId: string; distribution: Distribution }[];
}

/** Percentile keys in the order they are drawn; others a distribution holds are ignored. */
const order = ['p50', 'p90', 'p99', 'p99.9', 'max'];

/**
 * A latency distribution's percentiles (p50 .. max), one line per run, coloured by side: the tail
 * is where tuning shows, and one line per run shows how much runs agree. A log scale is used
 * when the values span more than two decades.
 */
export function percentileChart(input: {
  title: string;
  unit: Unit;
  sides: SideDistributions[];
}): Promise<string> {
  const domain = input.sides.map((s) => redact(s.label));
  const rows = input.sides.flatMap((s) =>
    s.runs.flatMap(({ runId, distribution: d }) => {
      const byKey: Record<string, number | undefined> = {
        ...d.percentiles,
        max: d.count ? d.max : undefined,
      };
      return order
        .filter((k) => byKey[k] !== undefined && Number.isFinite(byKey[k]))
        .map((k) => ({
          side: redact(s.label),
          run: redact(runId),
          percentile: k,
          value: byKey[k]!,
        }));
    }),
  );
  const positive = rows.map((r) => r.value).filter((v) => v > 0);
  const lo = Math.min(...positive);
  const hi = Math.max(...positive);
  const log = positive.length === rows.length && positive.length > 0 && hi / lo > 100;
  const spec: TopLevelSpec = {
    title: redact(input.title),
    width: 300,
    height: 160,
    data: { values: rows },
    mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 1.5, opacity: 0.8 },
    encoding: {
      x: {
        field: 'percentile',
        type: 'ordinal',
        sort: order,
        title: null,
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: input.unit,
        scale: log ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'side',
        type: 'nominal',
        title: null,
        scale: { domain, range: input.sides.map((s) => s.colour) },
      },
      detail: { field: 'run', type: 'nominal' },
    },
  };
  return renderSvg(spec);
}
