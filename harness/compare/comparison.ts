import { z } from 'zod';
import { Direction, Labels, Slo, Unit } from '../results/schema.ts';
import { Margin } from './primary-metric.ts';

/**
 * The versioned result of a comparison: statistics over the runs of two or more profiles, per
 * scenario and metric, with verdicts and SLO checks. Written as `comparison.json` beside the runs.
 */
export const comparisonSchemaVersion = 2;

/**
 * Per-metric verdict. Primary metrics (the few that answer the scenario's question, and the only
 * ones that gate) get improved / regressed (the interval lies beyond the practical margin),
 * equivalent (inside +-margin) or inconclusive (neither, with the reason). Informational metrics
 * get improved / regressed / changed (direction `none`) / no-significant-change after a
 * false-discovery-rate correction; they never fail a comparison. `invalid`: no statistics could
 * be computed (units differ, observed by neither side).
 */
export const Verdict = z.enum([
  'improved',
  'regressed',
  'equivalent',
  'inconclusive',
  'no-significant-change',
  'changed',
  'invalid',
]);
export type Verdict = z.infer<typeof Verdict>;

export const OverallVerdict = z.enum([
  'improved',
  'regressed',
  'equivalent',
  'inconclusive',
  'no-significant-change',
  'invalid',
]);
export type OverallVerdict = z.infer<typeof OverallVerdict>;

export const ComparisonOptions = z.object({
  /**
   * Error rate: family-wise (Holm) for the verdicts on primary metrics, each direction one-sided
   * (a false "regressed" at most alpha, a false "improved" at most alpha, equivalence by TOST at
   * alpha); false-discovery rate (Benjamini-Hochberg) for the informational metrics.
   */
  alpha: z.number().gt(0).lt(1),
  /** Confidence level of the intervals shown for informational metrics (primaries: 1 - 2 alpha). */
  confidence: z.number().gt(0).lt(1),
  /** With --repeat auto: the nominal alpha of this look (alpha-spending); absent otherwise. */
  lookAlpha: z.number().gt(0).lt(1).optional(),
  /** Margins given for this comparison (metric key -> margin), replacing the scenario's. */
  margins: z.record(z.string(), Margin).default({}),
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

/** Exact interval from the order statistics of the pairwise differences (hodges-lehmann-ci.ts). */
export const ConfidenceInterval = z.object({
  low: z.number(),
  high: z.number(),
  /** Exact coverage achieved (discrete: at or above `nominal` when the runs allow it). */
  confidence: z.number(),
  nominal: z.number(),
  method: z.literal('exact-order-statistics'),
});

/** How a primary metric was judged: margin, one-sided tests, Holm-adjusted p, power. */
export const PrimaryJudgement = z.object({
  margin: Margin,
  /** The margin in metric units for this comparison. */
  marginAbsolute: z.number().nonnegative(),
  /** The margin came from the comparison's options, not the scenario's declaration. */
  marginOverridden: z.boolean(),
  why: z.string(),
  /** One-sided p of "worse by more than the margin", "better by more", and TOST's for equivalence. */
  p: z.object({ worse: z.number(), better: z.number(), equivalent: z.number() }),
  /** The same, Holm-adjusted across the pair's primaries. */
  adjusted: z.object({ worse: z.number(), better: z.number(), equivalent: z.number() }),
  /** The level the adjusted p-values are held against (alpha, or this look's alpha). */
  level: z.number(),
  /**
   * Power: the smallest shift beyond which this comparison finds a regression (or improvement)
   * with 80% probability, given the runs, their spread, the margin and the level; null when the
   * runs cannot decide at all (too few) or no spread could be estimated.
   */
  detectable: z.object({
    absolute: z.number().nullable(),
    relative: z.number().nullable(),
    /** Pooled standard deviation of the runs it was computed from. */
    spread: z.number().nullable(),
    runsPerSide: z.tuple([z.number().int(), z.number().int()]),
  }),
});
export type PrimaryJudgement = z.infer<typeof PrimaryJudgement>;

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
  /** primary: answers the scenario's question and gates; informational: shown, never fails. */
  role: z.enum(['primary', 'informational']).default('informational'),
  /** How a primary metric was judged (absent when it had no statistics). */
  primary: PrimaryJudgement.optional(),
  /** Runs that did not reach the milestone within their window (censored at its end). */
  censored: z.object({ baseline: z.number().int(), candidate: z.number().int() }).optional(),
  /** Hodges-Lehmann shift candidate - baseline, with its exact interval. */
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
      /** Gehan's generalised Wilcoxon test when some runs are censored, else Mann-Whitney. */
      name: z.enum(['mann-whitney-u', 'gehan']),
      /** Two-sided, exact (conditional on ties) for up to 60 runs in all. */
      pValue: z.number(),
      /** Benjamini-Hochberg adjusted (informational metrics). */
      adjustedPValue: z.number().optional(),
      method: z.enum(['exact', 'normal']),
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
  /**
   * A gating miss the runs do not pin on the profile: the candidate is not shown worse than the
   * baseline by more than 25% of the objective (both miss it by about as much, or the machine
   * sits at the limit). Shown as an environment finding, with the numbers; it fails the
   * comparison only with --strict-slo (slo-environment.ts).
   */
  environment: z.boolean().default(false),
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
    /** Primary metrics by verdict. */
    primary: z
      .object({
        improved: z.number().int(),
        regressed: z.number().int(),
        equivalent: z.number().int(),
        inconclusive: z.number().int(),
        invalid: z.number().int(),
      })
      .default({ improved: 0, regressed: 0, equivalent: 0, inconclusive: 0, invalid: 0 }),
    /** SLOs both sides missed by about as much: the machine, not the profile. */
    environmentFindings: z.number().int().default(0),
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

/** Where `--repeat auto` stands: the looks taken, the blocks made, the alpha spent. */
export const SequentialState = z.object({
  look: z.number().int().positive(),
  blocks: z.number().int().positive(),
  minBlocks: z.number().int().positive(),
  maxBlocks: z.number().int().positive(),
  spent: z.number(),
  stopped: z.enum(['decided', 'max-blocks', 'continuing']),
});
export type SequentialState = z.infer<typeof SequentialState>;

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
  /** How the runs were made: interleaved or not, the plan's seed, the sequential looks. */
  design: z
    .object({
      /** false with --baseline: the baseline's runs come from an earlier night. */
      interleaved: z.boolean(),
      /** Seed of the randomised block order (plan.json). */
      seed: z.number().int().optional(),
      /** --repeat auto: the looks taken so far and the alpha spent. */
      sequential: SequentialState.optional(),
      strictSlo: z.boolean().default(false),
    })
    .optional(),
  /** Things a reader should know that are not verdicts (a side mixing profile digests...). */
  notes: z.array(z.string()).default([]),
});
export type Comparison = z.infer<typeof Comparison>;
