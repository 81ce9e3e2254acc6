import type { TopLevelSpec } from 'vega-lite';
import type { Slo, Unit } from '../results/schema.ts';
import { redact } from '../util/redact.ts';
import { renderSvg } from './render-svg.ts';

export interface SideValues {
  label: string;
  colour: string;
  values: { runId: string; value: number }[];
  median: number | null;
}

/**
 * One metric's value in every run, one row of dots per side, the median as a bar and the SLO
 * threshold as a dashed red line: with 3-20 runs per side, showing every run says more than a
 * box plot would.
 */
export function metricValuesChart(input: {
  title: string;
  unit: Unit;
  sides: SideValues[];
  slo?: Slo;
}): Promise<string> {
  const domain = input.sides.map((s) => redact(s.label));
  const points = input.sides.flatMap((s) =>
    s.values.map((v) => ({ side: redact(s.label), value: v.value, run: redact(v.runId) })),
  );
  const medians = input.sides
    .filter((s) => s.median !== null)
    .map((s) => ({ side: redact(s.label), value: s.median }));
  const all = [...points.map((p) => p.value), ...(input.slo ? [input.slo.threshold] : [])];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  // Equal values everywhere (0 restarts in every run) would collapse the axis to a point.
  const pad = lo === hi ? Math.max(1, Math.abs(lo) * 0.1) : 0;
  const x = {
    field: 'value',
    type: 'quantitative' as const,
    title: input.unit,
    scale: pad ? { domain: [lo - pad, hi + pad] } : { zero: false, nice: true },
    axis: { tickCount: 6 },
  };
  const y = {
    field: 'side',
    type: 'nominal',
    title: null,
    scale: { domain },
    axis: { labelLimit: 140 },
  } as const;
  const color = {
    field: 'side',
    type: 'nominal',
    scale: { domain, range: input.sides.map((s) => s.colour) },
    legend: null,
  } as const;
  const spec: TopLevelSpec = {
    title: redact(input.title),
    width: 300,
    height: { step: 26 },
    layer: [
      {
        data: { values: points },
        mark: { type: 'point', filled: true, opacity: 0.75, size: 55 },
        encoding: {
          x,
          y,
          color,
        },
      },
      {
        data: { values: medians },
        mark: { type: 'tick', thickness: 2.5, size: 20, color: '#1f2933' },
        encoding: { x: { field: 'value', type: 'quantitative' }, y },
      },
      ...(input.slo
        ? [
            {
              data: { values: [{ threshold: input.slo.threshold }] },
              mark: {
                type: 'rule' as const,
                color: '#c62828',
                strokeDash: [5, 3],
                strokeWidth: 1.5,
              },
              encoding: { x: { field: 'threshold', type: 'quantitative' as const } },
            },
          ]
        : []),
    ],
  };
  return renderSvg(spec);
}
