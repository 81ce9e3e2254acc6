import type { TopLevelSpec } from 'vega-lite';
import type { HistorySeries } from '../history/nightly-history.ts';
import { redact } from '../util/redact.ts';
import { renderSvg } from './render-svg.ts';

/**
 * A primary metric night by night: a line per profile (the median of each night's runs), the
 * nights where E-divisive found a level shift marked with a dashed rule.
 */
export function trendChart(title: string, series: readonly HistorySeries[]): Promise<string> {
  const points = series.flatMap((s) =>
    s.points.map((p, i) => ({
      night: i + 1,
      at: p.at.slice(0, 10),
      profile: redact(s.profile),
      value: p.value,
    })),
  );
  const changes = series.flatMap((s) =>
    s.changes.map((c) => ({ night: c.index + 1, profile: redact(s.profile) })),
  );
  const unit = series[0]?.unit ?? '';
  const spec: TopLevelSpec = {
    title: redact(title),
    width: 420,
    height: 140,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'night', type: 'quantitative', title: 'night', axis: { tickMinStep: 1 } },
          y: { field: 'value', type: 'quantitative', title: unit, scale: { zero: false } },
          color: { field: 'profile', type: 'nominal', title: null },
        },
      },
      ...(changes.length
        ? [
            {
              data: { values: changes },
              mark: { type: 'rule' as const, strokeDash: [4, 3], color: '#c62828' },
              encoding: { x: { field: 'night', type: 'quantitative' as const } },
            },
          ]
        : []),
    ],
  };
  return renderSvg(spec);
}
