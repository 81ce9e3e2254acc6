import type {
  Distribution,
  Metric,
  MetricInput,
  TimelineEvent,
  TimelineEventInput,
} from './records.ts';

/**
 * Where a scenario and its measurements put what they observe, as they observe it. The run
 * writer (harness/results/run-writer.ts) is the one implementation; scenarios see only this, so
 * they depend on nothing of the result stage.
 */
export interface RunRecorder {
  readonly runId: string;
  /** The run's directory (k6 output and artifacts go under it). */
  readonly dir: string;
  event(e: Omit<TimelineEventInput, 'at' | 'tMs'> & { at?: Date }): TimelineEvent;
  metric(m: MetricInput): Metric;
  distribution(d: Distribution): void;
  sample(series: string, value: number, labels?: Record<string, string>, at?: Date): void;
  /** Keep a file for debugging (redacted) under the run directory; returns its path. */
  artifact(relativePath: string, content: string): string;
  /** The run cannot be used in a comparison, and why. */
  markInvalid(reason: string): void;
}
