import { max, median, min } from 'simple-statistics';
import type { Metric } from '../results/schema.ts';
import type { MetricComparison, MetricSide, RunValue } from './comparison.ts';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { hodgesLehmannCi, minOneSidedP } from './hodges-lehmann-ci.ts';
import type { Observation } from './observation.ts';
import { shiftTest } from './shift-test.ts';

/**
 * One metric as one side observed it: its definition (from the first run) and a value per run.
 * `censored` marks runs that did not reach the milestone within their window: their value is
 * the window's end.
 */
export interface MetricSeries {
  key: string;
  metric: Metric;
  values: (RunValue & { censored?: boolean })[];
}

/** Statistics of one metric between two sides, before any verdict (verdicts are per pair). */
export interface MetricStatistics {
  comparison: MetricComparison;
  baseline: Observation[];
  candidate: Observation[];
  /** Why no statistics (and no verdict but invalid), if so. */
  problem?: string;
}

function summarise(values: readonly (RunValue & { censored?: boolean })[]): MetricSide {
  const xs = values.map((v) => v.value);
  return {
    n: xs.length,
    median: xs.length ? median(xs) : null,
    min: xs.length ? min(xs) : null,
    max: xs.length ? max(xs) : null,
    values: values.map((v) => ({ runId: v.runId, value: v.value })),
  };
}

const toObservations = (s: MetricSeries | undefined): Observation[] =>
  (s?.values ?? []).map((v) => ({ value: v.value, censored: v.censored === true }));

/**
 * The shift (Hodges-Lehmann, exact order-statistic interval at `confidence`) and the two-sided
 * exact test at no shift (Gehan's when a run is censored, Mann-Whitney otherwise; exact and
 * conditional on ties). A censored run enters the shift at its window's end, so the shift is then
 * a bound (the report says so); the test treats it as "larger than that".
 */
export function compareMetric(
  baseline: MetricSeries | undefined,
  candidate: MetricSeries | undefined,
  confidence: number,
): MetricStatistics {
  const def = (baseline ?? candidate)?.metric;
  const key = baseline?.key ?? candidate?.key;
  if (!def || key === undefined) throw new RangeError('compareMetric needs the metric on one side');
  const a = summarise(baseline?.values ?? []);
  const b = summarise(candidate?.values ?? []);
  const obsA = toObservations(baseline);
  const obsB = toObservations(candidate);
  const censoredA = obsA.filter((o) => o.censored).length;
  const censoredB = obsB.filter((o) => o.censored).length;
  const base: MetricComparison = {
    key,
    name: def.name,
    labels: def.labels,
    unit: def.unit,
    direction: def.direction,
    ...(def.description === undefined ? {} : { description: def.description }),
    role: 'informational',
    baseline: a,
    candidate: b,
    ...(censoredA || censoredB ? { censored: { baseline: censoredA, candidate: censoredB } } : {}),
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
    return { comparison: base, baseline: obsA, candidate: obsB, ...(problem ? { problem } : {}) };
  }
  const xa = obsA.map((o) => o.value);
  const xb = obsB.map((o) => o.value);
  const estimate = hodgesLehmann(xa, xb);
  const ci = hodgesLehmannCi(xa, xb, confidence);
  const t = shiftTest(obsA, obsB, 0);
  const pooled = [...xa, ...xb];
  return {
    comparison: {
      ...base,
      shift: {
        estimate,
        relative: a.median ? estimate / Math.abs(a.median) : null,
        ci,
      },
      test: {
        name: censoredA || censoredB ? 'gehan' : 'mann-whitney-u',
        pValue: Math.min(1, 2 * Math.min(t.pAbove, t.pBelow)),
        method: t.method,
        ties: new Set(pooled).size < pooled.length,
        minPValue: Math.min(1, 2 * minOneSidedP(a.n, b.n)),
      },
    },
    baseline: obsA,
    candidate: obsB,
  };
}
