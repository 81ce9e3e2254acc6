import { max, median, min } from 'simple-statistics';
import type { Metric } from '../results/schema.ts';
import { bootstrapCi } from './bootstrap-ci.ts';
import type { ComparisonOptions, MetricComparison, MetricSide, RunValue } from './comparison.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { mannWhitney } from './mann-whitney.ts';
import { metricVerdict } from './metric-verdict.ts';
import { deriveSeed } from './seeded-random.ts';

/** One metric as one side observed it: its definition (from the first run) and a value per run. */
export interface MetricSeries {
  key: string;
  metric: Metric;
  values: RunValue[];
}

export interface CompareMetricOptions extends ComparisonOptions {
  /** Where the metric sits (scenario, pair): mixed into the bootstrap seed. */
  identity: string;
  noiseFloor?: number;
}

function summarise(values: readonly RunValue[]): MetricSide {
  const xs = values.map((v) => v.value);
  return {
    n: xs.length,
    median: xs.length ? median(xs) : null,
    min: xs.length ? min(xs) : null,
    max: xs.length ? max(xs) : null,
    values: [...values],
  };
}

/** Statistics and verdict for one metric between two sides (either may lack it). */
export function compareMetric(
  baseline: MetricSeries | undefined,
  candidate: MetricSeries | undefined,
  options: CompareMetricOptions,
): MetricComparison {
  const def = (baseline ?? candidate)?.metric;
  const key = baseline?.key ?? candidate?.key;
  if (!def || key === undefined) throw new RangeError('compareMetric needs the metric on one side');
  const a = summarise(baseline?.values ?? []);
  const b = summarise(candidate?.values ?? []);
  const base: MetricComparison = {
    key,
    name: def.name,
    labels: def.labels,
    unit: def.unit,
    direction: def.direction,
    ...(def.description === undefined ? {} : { description: def.description }),
    baseline: a,
    candidate: b,
    ...(options.noiseFloor === undefined ? {} : { noiseFloor: options.noiseFloor }),
    verdict: 'invalid',
    reason: '',
  };
  const problem =
    baseline && candidate && baseline.metric.unit !== candidate.metric.unit
      ? `units differ: ${baseline.metric.unit} vs ${candidate.metric.unit}`
      : baseline && candidate && baseline.metric.direction !== candidate.metric.direction
        ? `directions differ: ${baseline.metric.direction} vs ${candidate.metric.direction}`
        : undefined;
  if (a.n === 0 || b.n === 0 || problem) {
    return {
      ...base,
      ...metricVerdict({
        direction: def.direction,
        baselineRuns: a.n,
        candidateRuns: b.n,
        alpha: options.alpha,
        ...(problem ? { problem } : {}),
      }),
    };
  }
  const xa = a.values.map((v) => v.value);
  const xb = b.values.map((v) => v.value);
  const estimate = hodgesLehmann(xa, xb);
  const ci = bootstrapCi(xa, xb, {
    confidence: options.confidence,
    resamples: options.resamples,
    seed: deriveSeed(options.seed, `${options.identity}/${key}`),
  });
  const mw = mannWhitney(xa, xb);
  const decision = metricVerdict({
    direction: def.direction,
    baselineRuns: a.n,
    candidateRuns: b.n,
    alpha: options.alpha,
    pValue: mw.pValue,
    minPValue: mw.minPValue,
    shift: estimate,
    ciLow: ci.low,
    ciHigh: ci.high,
    confidence: ci.confidence,
    ...(options.noiseFloor === undefined ? {} : { noiseFloor: options.noiseFloor }),
  });
  return {
    ...base,
    shift: {
      estimate,
      relative: a.median ? estimate / Math.abs(a.median) : null,
      ci,
    },
    test: {
      name: 'mann-whitney-u',
      u: mw.u,
      pValue: mw.pValue,
      method: mw.method,
      ...(mw.z === undefined ? {} : { z: mw.z }),
      ties: mw.ties,
      minPValue: mw.minPValue,
    },
    ...decision,
  };
}
