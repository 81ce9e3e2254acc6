import { uNullCounts } from './mann-whitney.ts';

export interface ShiftInterval {
  low: number;
  high: number;
  /** Exact coverage achieved: 1 - 2 P(U <= k - 1), at least the level asked for when reachable. */
  confidence: number;
  /** The level asked for. */
  nominal: number;
  method: 'exact-order-statistics';
}

const uCdfCache = new Map<string, number[]>();

/** P(U <= u) for u = 0..n1*n2 under no difference and no ties (cached). */
export function uNullCdf(n1: number, n2: number): number[] {
  const key = `${n1},${n2}`;
  const cached = uCdfCache.get(key);
  if (cached) return cached;
  const counts = uNullCounts(n1, n2);
  const total = counts.reduce((x, y) => x + y, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const c of counts) {
    acc += c;
    cdf.push(acc / total);
  }
  uCdfCache.set(key, cdf);
  return cdf;
}

/** The smallest one-sided p-value an exact rank test can give with n1 and n2 values: 1/C(n1+n2, n1). */
export function minOneSidedP(n1: number, n2: number): number {
  return uNullCdf(n1, n2)[0]!;
}

/**
 * Exact confidence interval of the Hodges-Lehmann shift from the order statistics of the n1*n2
 * pairwise differences D(1) <= ... <= D(mn): [D(k), D(mn+1-k)] with k the largest integer such
 * that P(U <= k-1) <= (1 - confidence)/2 under the exact null distribution of the Mann-Whitney U
 * (Hollander & Wolfe, Nonparametric Statistical Methods, 3rd ed., 4.3; Bauer 1972). It is the
 * set of shifts delta the exact test does not reject, so it agrees with shiftTest by
 * construction. Replaces the percentile bootstrap, which covered 89% instead of 95% at 4-5 runs.
 * When the sample is too small for the level (k would be 0) the widest interval, [D(1), D(mn)],
 * is returned with the (lower) confidence it really has.
 */
export function hodgesLehmannCi(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
): ShiftInterval {
  const n1 = baseline.length;
  const n2 = candidate.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('hodgesLehmannCi needs values on both sides');
  const diffs: number[] = [];
  for (const b of candidate) for (const a of baseline) diffs.push(b - a);
  diffs.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  const cdf = uNullCdf(n1, n2);
  let k = 0;
  while (k < cdf.length && cdf[k]! <= tail) k++;
  // k now counts the u with P(U <= u) <= tail, i.e. the k of [D(k), D(mn+1-k)]
  const kk = Math.max(1, Math.min(k, Math.floor(diffs.length / 2) || 1));
  return {
    low: diffs[kk - 1]!,
    high: diffs[diffs.length - kk]!,
    // P(D(k) > true shift) = P(U <= k - 1) by symmetry, on each side
    confidence: Math.max(0, 1 - 2 * cdf[kk - 1]!),
    nominal: confidence,
    method: 'exact-order-statistics',
  };
}
