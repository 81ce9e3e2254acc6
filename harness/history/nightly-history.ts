import { basename, resolve } from 'node:path';
import { median } from 'simple-statistics';
import { z } from 'zod';
import { verdictsOf } from '../../scenarios/verdicts-of.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import type { Comparison } from '../compare/comparison.ts';
import { readComparison } from '../compare/comparison-file.ts';
import { loadComparisonRuns } from '../compare/comparison-runs.ts';
import { Direction, Unit } from '../results/schema.ts';
import { eDivisive } from './e-divisive.ts';

export const historyFile = 'history.json';

export const HistoryPoint = z.object({
  /** The night: when its comparison was computed. */
  at: z.string(),
  /** Its results directory's name. */
  dir: z.string(),
  /** Median over the night's runs of this profile. */
  value: z.number(),
  runs: z.number().int(),
  /** The night's verdict on this metric (candidate sides), if any. */
  verdict: z.string().optional(),
});

export const HistorySeries = z.object({
  scenario: z.string(),
  profile: z.string(),
  metric: z.string(),
  unit: Unit,
  direction: Direction,
  points: z.array(HistoryPoint),
  /** Nights where the level shifted (E-divisive means), with the medians before and after. */
  changes: z.array(
    z.object({
      at: z.string(),
      index: z.number().int(),
      pValue: z.number(),
      before: z.number(),
      after: z.number(),
    }),
  ),
});
export type HistorySeries = z.infer<typeof HistorySeries>;

export const History = z.object({
  schemaVersion: z.literal(1),
  createdAt: z.string(),
  nights: z.array(z.object({ dir: z.string(), at: z.string() })),
  series: z.array(HistorySeries),
});
export type History = z.infer<typeof History>;

/** A results directory's comparison: comparison.json, else computed from its runs. */
function comparisonOf(dir: string): Comparison {
  return readComparison(dir) ?? compareRuns(loadComparisonRuns(dir).runs, { verdictsOf });
}

/**
 * Each scenario's primary metrics night by night: one results directory per night (in the order
 * their comparisons were made), per profile the median of that night's runs, and the nights
 * where a series' level shifted by E-divisive means (e-divisive.ts; at least 6 nights).
 */
export function nightlyHistory(dirs: readonly string[], now = new Date()): History {
  const nights = dirs
    .map((dir) => ({ dir: resolve(dir), comparison: comparisonOf(dir) }))
    .sort((a, b) => a.comparison.createdAt.localeCompare(b.comparison.createdAt));
  const byKey = new Map<string, Omit<HistorySeries, 'changes'>>();
  for (const { dir, comparison } of nights) {
    const seen = new Set<string>();
    for (const pair of comparison.pairs.filter((p) => !p.calibration)) {
      for (const m of pair.metrics.filter((x) => x.role === 'primary')) {
        for (const [side, role] of [
          [m.baseline, pair.baseline],
          [m.candidate, pair.candidate],
        ] as const) {
          const values = side.values.map((v) => v.value);
          if (values.length === 0) continue;
          const key = JSON.stringify([pair.scenario, role.profile.name, m.key]);
          if (seen.has(key)) continue;
          seen.add(key);
          const series = byKey.get(key) ?? {
            scenario: pair.scenario,
            profile: role.profile.name,
            metric: m.key,
            unit: m.unit,
            direction: m.direction,
            points: [],
          };
          series.points.push({
            at: comparison.createdAt,
            dir: basename(dir),
            value: median(values),
            runs: values.length,
            ...(side === m.candidate ? { verdict: m.verdict } : {}),
          });
          byKey.set(key, series);
        }
      }
    }
  }
  const series = [...byKey.values()].map((s) => {
    const values = s.points.map((p) => p.value);
    const found = eDivisive(values);
    const bounds = [0, ...found.map((c) => c.index), values.length];
    // the levels on either side: medians of the segments between neighbouring change points
    const changes = found.map((c, i) => ({
      at: s.points[c.index]!.at,
      index: c.index,
      pValue: c.pValue,
      before: median(values.slice(bounds[i]!, c.index)),
      after: median(values.slice(c.index, bounds[i + 2]!)),
    }));
    return { ...s, changes };
  });
  return {
    schemaVersion: 1,
    createdAt: now.toISOString(),
    nights: nights.map((n) => ({ dir: basename(n.dir), at: n.comparison.createdAt })),
    series,
  };
}
