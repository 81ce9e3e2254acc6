import { median } from 'simple-statistics';
import type { Slo } from '../results/schema.ts';
import type { RunValue } from './comparison.ts';

/** Whether one value meets an objective. */
export function meetsSlo(slo: Slo, value: number): boolean {
  switch (slo.op) {
    case '<=':
      return value <= slo.threshold;
    case '<':
      return value < slo.threshold;
    case '>=':
      return value >= slo.threshold;
    case '>':
      return value > slo.threshold;
  }
}

export interface SloEvaluation {
  median: number;
  /** The median over runs meets the objective. */
  passed: boolean;
  runs: (RunValue & { passed: boolean })[];
}

/**
 * An SLO against one side's runs. The side is judged on its median run: one noisy run out of
 * five should not fail a nightly benchmark, and metrics with SLOs are already percentiles (p99)
 * within each run. Every run is still checked and listed, so a run that missed is visible.
 */
export function checkSlo(slo: Slo, values: readonly RunValue[]): SloEvaluation {
  if (values.length === 0) throw new RangeError('checkSlo needs at least one run');
  const mid = median(values.map((v) => v.value));
  return {
    median: mid,
    passed: meetsSlo(slo, mid),
    runs: values.map((v) => ({ ...v, passed: meetsSlo(slo, v.value) })),
  };
}

/** "p99 <= 1000 ms" style text for an objective. */
export function describeSlo(slo: Slo, unit: string): string {
  return `${slo.op} ${slo.threshold} ${unit}`;
}
