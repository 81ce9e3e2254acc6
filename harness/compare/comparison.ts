import { z } from 'zod';
import { Direction, Labels, Slo, Unit } from '../results/schema.ts';

/**
 * The versioned result of a comparison: statistics over the runs of two or more profiles, per
 * scenario and metric, with verdicts and SLO checks. Written as `comparison.json` beside the runs.
 */
export const comparisonSchemaVersion = 1;

/**
 * Per-metric verdict. `changed` is a significant shift in a metric whose direction is `none`:
 * informational, never a failure. Overall verdicts use the other four.
 */
export const Verdict = z.enum([
  'improved',
  'regressed',
  'no-significant-change',
  'changed',
  'invalid',
]);
export type Verdict = z.infer<typeof Verdict>;

export const OverallVerdict = z.enum(['improved', 'regressed', 'no-significant-change', 'invalid']);
export type OverallVerdict = z.infer<typeof OverallVerdict>;

export const ComparisonOptions = z.object({
  /** Significance level of the Mann-Whitney test. */
  alpha: z.number().gt(0).lt(1),
  /** Confidence level of the bootstrap interval of the shift. */
  confidence: z.number().gt(0).lt(1),
  resamples: z.number().int().positive(),
  seed: z.number().int(),
});
export type ComparisonOptions = z.infer<typeof ComparisonOptions>;

/** Which scenario (and preset) within which planned comparison. */
export const GroupRef = z.object({
  comparisonId: z.string(),
  scenario: z.string(),
  preset: z.string().optional(),
});
export type GroupRef = z.infer<typeof GroupRef>;

export const SideRef = z.object({
  /** 'A', 'B', ... from the plan; the profile name for runs made outside a plan. */
  side: z.string(),
  profile: z.object({ name: z.string(), digest: z.string() }),
  runIds: z.array(z.string()),
});
export type SideRef = z.infer<typeof SideRef>;

/** A side within a scenario group. */
export const GroupSide = GroupRef.extend(SideRef.shape);
export type GroupSide = z.infer<typeof GroupSide>;

export const RunValue = z.object({ runId: z.string(), value: z.number() });
export type RunValue = z.infer<typeof RunValue>;

/** One side's values of one metric, one per run. */
export const MetricSide = z.object({
  n: z.number().int().nonnegative(),
  median: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  values: z.array(RunValue),
});
export type MetricSide = z.infer<typeof MetricSide>;

export const ConfidenceInterval = z.object({
  low: z.number(),
  high: z.number(),
  confidence: z.number(),
  resamples: z.number().int(),
  seed: z.number().int(),
});

export const MetricComparison = z.object({
  /** metricKey(): name plus sorted labels. */
  key: z.string(),
  name: z.string(),
  labels: Labels,
  unit: Unit,
  direction: Direction,
  description: z.string().optional(),
  baseline: MetricSide,
  candidate: MetricSide,
  /** Hodges-Lehmann shift candidate - baseline, with its bootstrap interval. */
  shift: z
    .object({
      estimate: z.number(),
      /** estimate / |baseline median|, when that median is not 0. */
      relative: z.number().nullable(),
      ci: ConfidenceInterval,
    })
    .optional(),
  test: z
    .object({
      name: z.literal('mann-whitney-u'),
      u: z.number(),
      pValue: z.number(),
      method: z.enum(['exact', 'normal']),
      z: z.number().optional(),
      ties: z.boolean(),
      minPValue: z.number(),
    })
    .optional(),
  /** The A/A noise floor applied (absolute, metric units), if any. */
  noiseFloor: z.number().optional(),
  verdict: Verdict,
  /** Why this verdict, in words ("p=0.03 < 0.05, CI excludes 0, outside noise floor"). */
  reason: z.string(),
});
export type MetricComparison = z.infer<typeof MetricComparison>;

/** A baseline side against one candidate side within one scenario. */
export const PairComparison = GroupRef.extend({
  /** Both sides ran the same profile (equal digests): an A/A calibration, never a verdict. */
  calibration: z.boolean(),
  baseline: SideRef,
  candidate: SideRef,
  verdict: OverallVerdict,
  metrics: z.array(MetricComparison),
});
export type PairComparison = z.infer<typeof PairComparison>;

/**
 * A metric's SLO against one side. The side passes when the median over its runs meets the
 * objective (the typical run; tail behaviour within a run is already in p99 metrics); runs that
 * miss on their own are listed. Only `gating` checks fail the outcome: candidates, and the sides
 * of scenarios that ran a single profile. A baseline missing an SLO is reported, not failed on.
 */
export const SloCheck = GroupRef.extend({
  side: z.string(),
  profile: z.string(),
  metric: z.string(),
  unit: Unit,
  objective: Slo,
  median: z.number(),
  passed: z.boolean(),
  gating: z.boolean(),
  runs: z.array(RunValue.extend({ passed: z.boolean() })),
});
export type SloCheck = z.infer<typeof SloCheck>;

/** A run left out of the statistics, with every reason. */
export const ExcludedRun = z.object({
  runId: z.string(),
  /** Relative to the results directory. */
  dir: z.string(),
  profile: z.string().optional(),
  scenario: z.string().optional(),
  side: z.string().optional(),
  reasons: z.array(z.string()).min(1),
});
export type ExcludedRun = z.infer<typeof ExcludedRun>;

export const Outcome = z.object({
  /** pass: exit 0; fail: a regression or a gating SLO miss (exit 1); invalid: exit 3. */
  status: z.enum(['pass', 'fail', 'invalid']),
  /** Over the non-calibration pairs; absent when no scenario ran two profiles. */
  verdict: OverallVerdict.optional(),
  exitCode: z.number().int(),
  /** One line for humans: "FAIL: 2 metrics regressed, 1 SLO missed". */
  headline: z.string(),
  counts: z.object({
    improved: z.number().int(),
    regressed: z.number().int(),
    noSignificantChange: z.number().int(),
    changed: z.number().int(),
    invalid: z.number().int(),
    sloFailures: z.number().int(),
    excludedRuns: z.number().int(),
  }),
});
export type Outcome = z.infer<typeof Outcome>;

export const Comparison = z.object({
  schemaVersion: z.literal(comparisonSchemaVersion),
  createdAt: z.string(),
  options: ComparisonOptions,
  noiseFloor: z.object({
    source: z.enum(['none', 'calibration', 'file']),
    /** The file, when source is 'file'. */
    path: z.string().optional(),
  }),
  outcome: Outcome,
  /** Every (scenario, side) with the runs used, including scenarios with a single side. */
  sides: z.array(GroupSide),
  pairs: z.array(PairComparison),
  slo: z.array(SloCheck),
  excludedRuns: z.array(ExcludedRun),
  /** Things a reader should know that are not verdicts (a side mixing profile digests...). */
  notes: z.array(z.string()).default([]),
});
export type Comparison = z.infer<typeof Comparison>;
