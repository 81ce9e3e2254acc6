import { median } from 'simple-statistics';

/**
 * Hodges-Lehmann estimate of the shift from `baseline` to `candidate`: the median of all
 * pairwise differences candidate[j] - baseline[i]. Positive means the candidate's values are
 * larger. Robust to outliers (a single slow run moves it little), unlike a difference of means.
 *
 * Written here because simple-statistics has no Hodges-Lehmann estimator; its `median` does the
 * rest.
 */
export function hodgesLehmann(baseline: readonly number[], candidate: readonly number[]): number {
  if (baseline.length === 0 || candidate.length === 0) {
    throw new RangeError('hodgesLehmann needs at least one value on each side');
  }
  const diffs: number[] = new Array(baseline.length * candidate.length);
  let k = 0;
  for (const b of candidate) for (const a of baseline) diffs[k++] = b - a;
  return median(diffs);
}
