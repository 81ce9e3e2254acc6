import { errorFunction } from 'simple-statistics';

/**
 * Exact two-sample permutation test of a sum of integer scores: under "no difference" every way
 * of choosing which n2 of the N pooled observations are the candidate's is equally likely, so the
 * distribution of the candidate's score sum is counted exactly (subset-sum counting). With
 * Wilcoxon scores (doubled mid-ranks) this is the exact Mann-Whitney test conditional on the
 * ties that occurred; with Gehan-Mantel scores it is the exact Gehan test for censored data
 * (see censored-scores.ts). Neither simple-statistics nor any npm package we found counts the
 * conditional (tie-aware) distribution, hence this file.
 */
export interface ExactScoreTest {
  /** P(sum >= observed): small when the candidate's scores are large. */
  pGreater: number;
  /** P(sum <= observed). */
  pLess: number;
  /** min(1, 2 * min(pGreater, pLess)). */
  pTwoSided: number;
  /** 'exact' (counted) or 'normal' (too many observations to count: N > exactScoreMaxTotal). */
  method: 'exact' | 'normal';
}

/** Up to this many pooled observations the distribution is counted (C(60,30) < 2^53). */
export const exactScoreMaxTotal = 60;

const nullCache = new Map<string, number[]>();

/**
 * Counts of each candidate score sum (offset by the smallest possible sum) over all C(N, n2)
 * assignments. Cached by the score multiset: untied uncensored data of the same sizes share one.
 */
function nullDistribution(
  scores: readonly number[],
  n2: number,
): { counts: number[]; min: number } {
  const sorted = [...scores].sort((a, b) => a - b);
  const min = sorted.slice(0, n2).reduce((a, b) => a + b, 0);
  const max = sorted.slice(-n2).reduce((a, b) => a + b, 0);
  const key = `${n2}|${sorted.join(',')}`;
  const cached = nullCache.get(key);
  if (cached) return { counts: cached, min };
  const lo = sorted[0]!;
  const width = max - min;
  // ways[j][s]: subsets of size j of the scores seen so far with sum (s + j * lo) - shifted so
  // every index is non-negative; only the size-n2 row is offset back to [min, max] at the end
  const span = (sorted.at(-1)! - lo) * n2;
  let ways: Float64Array[] = Array.from({ length: n2 + 1 }, () => new Float64Array(span + 1));
  ways[0]![0] = 1;
  for (const [i, score] of sorted.entries()) {
    const add = score - lo;
    const next = ways.map((row) => row.slice());
    for (let j = 1; j <= Math.min(i + 1, n2); j++) {
      const from = ways[j - 1]!;
      const to = next[j]!;
      for (let s = 0; s + add <= span; s++) if (from[s]) to[s + add]! += from[s]!;
    }
    ways = next;
  }
  const row = ways[n2]!;
  const counts = new Array<number>(width + 1).fill(0);
  const rowOffset = min - n2 * lo;
  for (let s = 0; s <= width; s++) counts[s] = row[s + rowOffset] ?? 0;
  if (nullCache.size > 5000) nullCache.clear();
  nullCache.set(key, counts);
  return { counts, min };
}

/** The exact test of the candidate's score sum; `scores` are the pooled observations' scores. */
export function exactScoreTest(
  scores: readonly number[],
  isCandidate: readonly boolean[],
): ExactScoreTest {
  const n = scores.length;
  const n2 = isCandidate.filter(Boolean).length;
  if (n2 === 0 || n2 === n) throw new RangeError('exactScoreTest needs both sides');
  for (const s of scores)
    if (!Number.isInteger(s)) throw new RangeError(`score ${s} is not an integer`);
  const observed = scores.reduce((a, s, i) => (isCandidate[i] ? a + s : a), 0);
  if (scores.every((s) => s === scores[0])) {
    return { pGreater: 1, pLess: 1, pTwoSided: 1, method: 'exact' };
  }
  if (n > exactScoreMaxTotal) return normalScoreTest(scores, n2, observed);
  const { counts, min } = nullDistribution(scores, n2);
  let total = 0;
  let lower = 0;
  let upper = 0;
  for (let s = 0; s < counts.length; s++) {
    const c = counts[s]!;
    total += c;
    if (s + min <= observed) lower += c;
    if (s + min >= observed) upper += c;
  }
  const pGreater = upper / total;
  const pLess = lower / total;
  return {
    pGreater,
    pLess,
    pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)),
    method: 'exact',
  };
}

/** Permutation mean and variance of the sum, continuity-corrected normal tails. */
function normalScoreTest(scores: readonly number[], n2: number, observed: number): ExactScoreTest {
  const n = scores.length;
  const mean = scores.reduce((a, b) => a + b, 0) / n;
  const ss = scores.reduce((a, s) => a + (s - mean) ** 2, 0);
  const variance = ((n2 * (n - n2)) / (n * (n - 1))) * ss;
  const sd = Math.sqrt(variance);
  const tail = (z: number) => 0.5 * erfc(z / Math.SQRT2);
  const pGreater = tail((observed - n2 * mean - 0.5) / sd);
  const pLess = tail((n2 * mean - observed - 0.5) / sd);
  return {
    pGreater: Math.min(1, pGreater),
    pLess: Math.min(1, pLess),
    pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)),
    method: 'normal',
  };
}

/** Complementary error function from simple-statistics' erf (Numerical Recipes fit). */
function erfc(x: number): number {
  return 1 - errorFunction(x);
}
