import type { LoadedRun } from '../../../../harness/compare/load-runs.ts';
import { seededRandom } from '../../../../harness/compare/seeded-random.ts';
import { metricKey } from '../../../../harness/results/schema.ts';
import { fakeRun } from '../fake-runs.ts';
import type { Dist, MetricModel } from './metric-sets.ts';

export type Random = () => number;

export function normal(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function draw(dist: Dist, random: Random): number {
  switch (dist.kind) {
    case 'constant':
      return dist.value;
    case 'lognormal':
      return dist.median * Math.exp(dist.sigma * normal(random));
    case 'normal': {
      const x = Math.max(dist.min ?? -Infinity, dist.mean + dist.sd * normal(random));
      return dist.round ? Math.round(x) : x;
    }
  }
}

/**
 * One synthetic comparison: `runs` per side of the scenario's metric set, interleaved like a
 * plan, the two sides running different profile digests (so it is judged, not an A/A
 * calibration). `shift` adds to one metric's candidate values (metric key -> amount).
 */
export function syntheticComparison(
  scenario: string,
  models: readonly MetricModel[],
  runs: number,
  random: Random,
  shift: Record<string, number> = {},
): LoadedRun[] {
  const out: LoadedRun[] = [];
  for (let r = 1; r <= runs; r++) {
    for (const [side, profile] of [
      ['A', 'default'],
      ['B', 'candidate'],
    ] as const) {
      const values = new Map<string, number>();
      for (const model of models) {
        const key = metricKey(model.metric);
        let v = draw(model.dist, random);
        if (side === 'B' && shift[key] !== undefined) v += shift[key]!;
        values.set(key, v);
      }
      const metrics = models
        .filter((model) => {
          if (!model.window) return true;
          return values.get(metricKey(model.metric))! <= values.get(model.window)!;
        })
        .map((model) => ({ ...model.metric, value: values.get(metricKey(model.metric))! }));
      out.push(
        fakeRun({
          runId: `${scenario}-${side}-${r}`,
          profile,
          side,
          comparisonId: 'sim',
          repetition: r,
          scenario,
          metrics,
        }),
      );
    }
  }
  return out;
}

export { seededRandom };
