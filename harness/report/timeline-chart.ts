import type { TopLevelSpec } from 'vega-lite';
import { metricKey, type Sample, type TimelineEvent } from '../results/schema.ts';
import { redact } from '../util/redact.ts';
import { renderSvg } from './render-svg.ts';
import { timelineWindows } from './timeline-windows.ts';

type ConcatItem = Extract<TopLevelSpec, { vconcat: unknown }>['vconcat'][number];
type LayerItem = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

/** At most this many points per sample series; more are reduced to per-bucket maxima. */
export const maxPointsPerSeries = 300;
/** At most this many sample panels (distinct series names) per run. */
export const maxSeriesPanels = 8;
/** The host's series (host contention) come after the scenario's own, which answer its question. */
const hostSeries = /^(host|container)\./;

const kindColours: Record<TimelineEvent['kind'], string> = {
  fault: '#c62828',
  recovery: '#2e7d32',
  phase: '#90a4ae',
  load: '#4c78a8',
  cluster: '#7e57c2',
  note: '#607d8b',
  error: '#212121',
};

/**
 * One run over time: a panel per sample series (per-second counts, host load...) and a swimlane
 * of timeline events below, sharing the time axis. Fault windows (a 'fault' start/end pair) are
 * shaded red across every panel, so the effect of a fault lines up with its cause.
 *
 * Long series are reduced to the maximum per time bucket, not the mean: a one-second burst of
 * 502s is the story and must not be averaged away.
 */
export function timelineChart(input: {
  title: string;
  events: readonly TimelineEvent[];
  samples: readonly Sample[];
  runEndMs: number;
}): Promise<{ svg: string; omittedSeries: string[] }> {
  const endS = Math.max(input.runEndMs, 1) / 1000;
  const windows = timelineWindows(input.events, input.runEndMs);
  const faults = windows
    .filter((w) => w.kind === 'fault')
    .map((w) => ({ start: w.startMs / 1000, end: w.endMs / 1000, name: redact(w.name) }));
  const x = (field: string, title: string | null = 'seconds since start') => ({
    field,
    type: 'quantitative' as const,
    title,
    scale: { domain: [0, endS], nice: false },
  });
  const faultLayer: LayerItem = {
    data: { values: faults },
    mark: { type: 'rect', color: '#c62828', opacity: 0.12 },
    encoding: { x: x('start'), x2: { field: 'end' } },
  };

  const byName = new Map<string, Sample[]>();
  for (const s of input.samples) {
    const list = byName.get(s.series);
    if (list) list.push(s);
    else byName.set(s.series, [s]);
  }
  const names = [...byName.keys()].sort(
    (a, b) => Number(hostSeries.test(a)) - Number(hostSeries.test(b)) || a.localeCompare(b),
  );
  const shown = names.slice(0, maxSeriesPanels);
  const panels = shown.map((name): ConcatItem => {
    const rows = downsample(byName.get(name)!).map((p) => ({ ...p, series: redact(p.series) }));
    return {
      width: 640,
      height: 110,
      title: { text: redact(name), fontSize: 11, fontWeight: 'normal' },
      layer: [
        faultLayer,
        {
          data: { values: rows },
          mark: { type: 'line', strokeWidth: 1.25, interpolate: 'step-after' },
          encoding: {
            x: x('t', null),
            y: { field: 'value', type: 'quantitative', title: null },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              legend: { orient: 'right', labelLimit: 220 },
            },
          },
        },
      ],
    };
  });

  const lanes = [...new Set(input.events.map((e) => e.kind))];
  const bars = windows.map((w) => ({
    lane: w.kind,
    name: redact(w.open ? `${w.name} (no end)` : w.name),
    start: w.startMs / 1000,
    end: w.endMs / 1000,
  }));
  const points = input.events
    .filter((e) => e.edge === 'point')
    .map((e) => ({ lane: e.kind, name: redact(e.name), t: e.tMs / 1000 }));
  const laneColour = {
    field: 'lane',
    type: 'nominal' as const,
    scale: { domain: lanes, range: lanes.map((k) => kindColours[k]) },
    legend: null,
  };
  const y = { field: 'lane', type: 'nominal' as const, title: null, scale: { domain: lanes } };
  const swimlane: ConcatItem = {
    width: 640,
    height: { step: 22 },
    layer: [
      faultLayer,
      {
        data: { values: bars },
        mark: { type: 'bar', height: 12, opacity: 0.55, cornerRadius: 2 },
        encoding: { x: x('start'), x2: { field: 'end' }, y, color: laneColour },
      },
      {
        data: { values: bars },
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 10, color: '#1f2933', limit: 220 },
        encoding: { x: x('start'), y, text: { field: 'name' } },
      },
      {
        data: { values: points },
        mark: { type: 'tick', thickness: 2, size: 14 },
        encoding: { x: x('t'), y, color: laneColour },
      },
    ],
  };

  const spec: TopLevelSpec = {
    title: redact(input.title),
    vconcat: lanes.length > 0 ? [...panels, swimlane] : panels.length > 0 ? panels : [swimlane],
    resolve: { scale: { x: 'shared', color: 'independent' } },
  };
  return renderSvg(spec).then((svg) => ({ svg, omittedSeries: names.slice(maxSeriesPanels) }));
}

function downsample(samples: readonly Sample[]): { t: number; value: number; series: string }[] {
  const bySeries = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = metricKey({ name: s.series, labels: s.labels });
    const list = bySeries.get(key);
    if (list) list.push(s);
    else bySeries.set(key, [s]);
  }
  const out: { t: number; value: number; series: string }[] = [];
  for (const [key, list] of bySeries) {
    const label =
      Object.keys(list[0]!.labels).length === 0 ? key : key.slice(list[0]!.series.length);
    list.sort((a, b) => a.tMs - b.tMs);
    if (list.length <= maxPointsPerSeries) {
      for (const s of list) out.push({ t: s.tMs / 1000, value: s.value, series: label });
      continue;
    }
    const first = list[0]!.tMs;
    const span = list[list.length - 1]!.tMs - first || 1;
    const buckets = new Map<number, { t: number; value: number }>();
    for (const s of list) {
      const b = Math.min(
        maxPointsPerSeries - 1,
        Math.floor(((s.tMs - first) / span) * maxPointsPerSeries),
      );
      const cur = buckets.get(b);
      if (!cur || s.value > cur.value) buckets.set(b, { t: s.tMs / 1000, value: s.value });
    }
    for (const [, p] of [...buckets].sort(([x], [y]) => x - y)) out.push({ ...p, series: label });
  }
  return out;
}
