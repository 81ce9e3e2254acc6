import { z } from 'zod';

/**
 * The practical margin of a primary metric: the smallest change that matters. A change whose
 * whole confidence interval lies beyond it is improved or regressed; one whose interval lies
 * inside +-margin is equivalent (no change that matters). The effective margin is the larger of
 * `absolute` (metric units) and `relative` times the baseline's median, so a latency of 2 ms
 * cannot regress by 0.3 ms and a count whose baseline is 0 still has a margin.
 */
export const Margin = z
  .object({
    relative: z.number().nonnegative().optional(),
    absolute: z.number().nonnegative().optional(),
  })
  .refine((m) => m.relative !== undefined || m.absolute !== undefined, {
    message: 'give a relative or an absolute margin',
  });
export type Margin = z.infer<typeof Margin>;

/** A metric that answers the scenario's question: only these gate a comparison. */
export interface PrimaryMetric {
  /** metricKey(): the name with its labels, as the scenario writes it. */
  metric: string;
  /** Which way is better; must agree with the direction the scenario writes. */
  direction: 'lower' | 'higher';
  margin: Margin;
  /** Why this metric answers the question, and why this margin (for the report). */
  why: string;
}

/**
 * A milestone that a run may not reach within its window (no eviction inside smoke's 90 s): such
 * a run is censored at the window's end, read from `windowMetric` of the same run, instead of
 * having no value.
 */
export interface CensoredMilestone {
  metric: string;
  windowMetric: string;
}

/** What a scenario declares for its verdicts (scenarios/<name>/primary-metrics.ts). */
export interface ScenarioVerdicts {
  primaries: readonly PrimaryMetric[];
  censored?: readonly CensoredMilestone[];
}
