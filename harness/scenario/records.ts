import { z } from 'zod';

/**
 * What a scenario records about its run: metrics, distributions, timeline events and samples.
 * They are the scenario stage's records; results/schema.ts combines them with the other stages'
 * into a run's result.
 */

export const Direction = z.enum(['lower', 'higher', 'none']);
export type Direction = z.infer<typeof Direction>;

export const Unit = z.enum(['ms', 's', 'count', 'per_s', 'ratio', 'bytes', 'percent']);
export type Unit = z.infer<typeof Unit>;

export const Labels = z.record(z.string(), z.string());
export type Labels = z.infer<typeof Labels>;

/** A service-level objective on a metric: the value must satisfy `op threshold`. */
export const Slo = z.object({
  op: z.enum(['<=', '<', '>=', '>']),
  threshold: z.number(),
  /** Where the objective comes from, e.g. "SIG Scalability: mutating API calls p99 <= 1s". */
  source: z.string(),
});
export type Slo = z.infer<typeof Slo>;

/** One scalar a run observed; comparisons work over these, one value per run. */
export const Metric = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_.]*$/),
  labels: Labels.default({}),
  unit: Unit,
  direction: Direction,
  value: z.number(),
  slo: Slo.optional(),
  description: z.string().optional(),
});
export type Metric = z.infer<typeof Metric>;
export type MetricInput = z.input<typeof Metric>;

/** A latency (or size) distribution, backed by an HDR histogram (base64, compressed). */
export const Distribution = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_.]*$/),
  labels: Labels.default({}),
  unit: Unit,
  count: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  percentiles: z.record(z.string(), z.number()),
  /** HdrHistogram compressed encoding (hdr-histogram-js encodeIntoCompressedBase64). */
  hdr: z.string().optional(),
});
export type Distribution = z.infer<typeof Distribution>;

/** Something that happened during the run, with the time it was observed. */
export const TimelineEvent = z.object({
  /** ISO timestamp (server timestamps where the source has them). */
  at: z.string(),
  /** Milliseconds since the run's start. */
  tMs: z.number(),
  kind: z.enum(['phase', 'fault', 'recovery', 'cluster', 'load', 'note', 'error']),
  name: z.string(),
  /** For windows (a load phase, a fault): 'start' / 'end'. */
  edge: z.enum(['start', 'end', 'point']).default('point'),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export type TimelineEventInput = z.input<typeof TimelineEvent>;

/** A time series sample (per-second counts, host CPU, in-flight pulls...). */
export const Sample = z.object({
  tMs: z.number(),
  series: z.string(),
  labels: Labels.default({}),
  value: z.number(),
});
export type Sample = z.infer<typeof Sample>;
