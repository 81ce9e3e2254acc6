import type { SloCheck } from './comparison.ts';
import { sameGroup } from './group-runs.ts';

/** How much further past the objective the candidate may be and still count as "the same miss". */
export const environmentTolerance = 0.25;

/** How far a median is past its objective (> 0: missed), in the metric's unit. */
export function sloExcess(check: Pick<SloCheck, 'median' | 'objective'>): number {
  const { op, threshold } = check.objective;
  return op === '<' || op === '<=' ? check.median - threshold : threshold - check.median;
}

/**
 * Marks gating SLO misses that are the machine's, not the profile's: the baseline missed the same
 * objective too, and the candidate is at most 25% further past it than the baseline (etcd's WAL
 * fsync p99 < 10 ms on a disk that cannot do it for any profile). Such a miss is an environment
 * finding; a miss the baseline does not share stays a failure.
 */
export function markEnvironmentFindings(checks: readonly SloCheck[]): SloCheck[] {
  return checks.map((c) => {
    if (!c.gating || c.passed) return c;
    const base = checks.find(
      (b) => !b.gating && sameGroup(b, c) && b.metric === c.metric && b.side !== c.side,
    );
    if (!base || base.passed) return c;
    const baseExcess = sloExcess(base);
    const excess = sloExcess(c);
    return { ...c, environment: excess <= baseExcess * (1 + environmentTolerance) };
  });
}
