import { errorFunction, wilcoxonRankSum } from 'simple-statistics';

export interface MannWhitneyResult {
  /** U of the candidate: pairs (a, b) with b > a, ties counted as half. */
  u: number;
  /** u / (n1 * n2): P(candidate > baseline) + P(equal) / 2. 0.5 means no shift. */
  probabilityOfSuperiority: number;
  /** Two-sided p-value. */
  pValue: number;
  /** 'exact': the permutation distribution of U; 'normal': normal approximation. */
  method: 'exact' | 'normal';
  /** Standardised statistic of the normal approximation (continuity-corrected), if used. */
  z?: number;
  /** Whether any value occurs more than once in the pooled sample. */
  ties: boolean;
  /** The smallest two-sided p-value these sample sizes can give at all (exact, no ties). */
  minPValue: number;
}

/** Up to this many values in total (and without ties) the exact distribution is used. */
export const exactMaxTotal = 50;

/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum) of baseline against candidate.
 *
 * simple-statistics' `wilcoxonRankSum` gives the rank sum (with mid-ranks for ties); it has no
 * p-value, so the null distribution is written here: exact (counting rank subsets) for small
 * samples without ties, else the normal approximation with tie and continuity corrections, as
 * in Hollander & Wolfe, "Nonparametric Statistical Methods", 3rd ed., section 4.1.
 */
export function mannWhitney(
  baseline: readonly number[],
  candidate: readonly number[],
): MannWhitneyResult {
  const n1 = baseline.length;
  const n2 = candidate.length;
  if (n1 === 0 || n2 === 0)
    throw new RangeError('mannWhitney needs at least one value on each side');
  const rankSum = wilcoxonRankSum([...candidate], [...baseline]);
  const u = rankSum - (n2 * (n2 + 1)) / 2;
  const tieTerm = tieCorrectionTerm([...baseline, ...candidate]);
  const ties = tieTerm > 0;
  const minPValue = mannWhitneyMinPValue(n1, n2);
  const common = { u, probabilityOfSuperiority: u / (n1 * n2), ties, minPValue };

  if (!ties && n1 + n2 <= exactMaxTotal) {
    return { ...common, pValue: exactPValue(u, n1, n2), method: 'exact' };
  }
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { ...common, pValue: 1, method: 'normal', z: 0 };
  const z = Math.max(0, Math.abs(u - mean) - 0.5) / Math.sqrt(variance);
  // two-sided p = erfc(z / sqrt 2); simple-statistics' errorFunction is the Numerical Recipes
  // erfc fit (relative error < 1.2e-7), so 1 - erf keeps its precision.
  const pValue = Math.min(1, Math.max(0, 1 - errorFunction(z / Math.SQRT2)));
  return { ...common, pValue, method: 'normal', z };
}

/**
 * The smallest two-sided p-value an exact test can reach with n1 and n2 values: both extreme
 * orderings out of C(n1+n2, n1). With 3 runs per side it is 0.1, so no such comparison can be
 * significant at 0.05: the verdict must be "insufficient runs", not "no change".
 */
export function mannWhitneyMinPValue(n1: number, n2: number): number {
  return Math.min(1, 2 / binomial(n1 + n2, n1));
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= Math.min(k, n - k); i++) r = (r * (n - i + 1)) / i;
  return Math.round(r);
}

/** Sum over groups of equal values of t^3 - t (t = group size). */
function tieCorrectionTerm(values: number[]): number {
  const sorted = values.sort((a, b) => a - b);
  let term = 0;
  let run = 1;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      term += run ** 3 - run;
      run = 1;
    }
  }
  return term;
}

/**
 * Exact two-sided p-value: the number of ways to pick the candidate's n2 ranks out of
 * 1..n1+n2 for each rank sum (subset-sum counting), then 2 * min(lower tail, upper tail).
 */
function exactPValue(u: number, n1: number, n2: number): number {
  const dist = uNullCounts(n1, n2);
  const total = dist.reduce((x, y) => x + y, 0);
  let lower = 0;
  let upper = 0;
  for (let s = 0; s <= n1 * n2; s++) {
    if (s <= u) lower += dist[s]!;
    if (s >= u) upper += dist[s]!;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

/**
 * How many of the C(n1+n2, n2) ways to pick the candidate's ranks give U = 0, 1, ..., n1*n2
 * (no ties): the exact null distribution of U, by subset-sum counting.
 */
export function uNullCounts(n1: number, n2: number): number[] {
  const n = n1 + n2;
  const maxU = n1 * n2;
  // ways[j][s]: subsets of size j of the ranks seen so far with U-contribution s, where a rank r
  // taken as the j-th smallest pick adds r - j (its count of baseline values below it).
  let ways: number[][] = Array.from({ length: n2 + 1 }, () => new Array(maxU + 1).fill(0));
  ways[0]![0] = 1;
  for (let r = 1; r <= n; r++) {
    const next = ways.map((row) => row.slice());
    for (let j = 1; j <= Math.min(r, n2); j++) {
      const add = r - j;
      if (add > n1) continue;
      const from = ways[j - 1]!;
      const to = next[j]!;
      for (let s = 0; s + add <= maxU; s++) if (from[s]) to[s + add]! += from[s]!;
    }
    ways = next;
  }
  return ways[n2]!;
}
