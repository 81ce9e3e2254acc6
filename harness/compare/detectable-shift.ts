import { probit } from 'simple-statistics';
import { minOneSidedP, uNullCdf } from './hodges-lehmann-ci.ts';
import { seededRandom } from './seeded-random.ts';

/** Power the detectable change is computed for. */
export const targetPower = 0.8;

const simulations = 4000;
const cache = new Map<string, number | null>();

/** Standard normal draws (Box-Muller) from a seeded source: the same numbers on every machine. */
function normals(count: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const out = new Float64Array(count);
  for (let i = 0; i < count; i += 2) {
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < count) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** P(U >= u) under no difference, for the smallest u reaching `level`: the rejection threshold. */
function criticalU(n1: number, n2: number, level: number): number | null {
  // P(U >= mn - j) = P(U <= j) by symmetry; reject when U >= mn - j for the largest j with
  // P(U <= j) <= level
  if (minOneSidedP(n1, n2) > level) return null;
  let j = 0;
  while (cdfAt(n1, n2, j + 1) <= level) j++;
  return n1 * n2 - j;
}

function cdfAt(n1: number, n2: number, u: number): number {
  const cdf = uNullCdf(n1, n2);
  return u < 0 ? 0 : (cdf[Math.min(u, cdf.length - 1)] ?? 1);
}

/**
 * The shift, in standard deviations, beyond the margin at which the exact one-sided rank test at
 * `level` rejects with probability targetPower, for normal runs with n1 and n2 per side; null
 * when the level cannot be reached with these runs at all. Monte Carlo with common random
 * numbers (power is then monotone in the shift, so bisection is exact for the sample), cached.
 */
export function detectableShiftInSd(n1: number, n2: number, level: number): number | null {
  const key = `${n1},${n2},${level.toPrecision(6)}`;
  if (cache.has(key)) return cache.get(key)!;
  const crit = criticalU(n1, n2, level);
  if (crit === null) {
    cache.set(key, null);
    return null;
  }
  const z = normals(simulations * (n1 + n2), 0x5eed + n1 * 101 + n2);
  const power = (shift: number) => {
    let hits = 0;
    for (let s = 0; s < simulations; s++) {
      const o = s * (n1 + n2);
      let u = 0;
      for (let j = 0; j < n2; j++) {
        const b = z[o + n1 + j]! + shift;
        for (let i = 0; i < n1; i++) if (b > z[o + i]!) u++;
      }
      if (u >= crit) hits++;
    }
    return hits / simulations;
  };
  let lo = 0;
  let hi = 1;
  while (power(hi) < targetPower && hi < 64) hi *= 2;
  for (let i = 0; i < 30; i++) {
    const mid = (lo + hi) / 2;
    if (power(mid) >= targetPower) hi = mid;
    else lo = mid;
  }
  cache.set(key, hi);
  return hi;
}

/**
 * Upper confidence bound (one-sided, `confidence`) of a standard deviation estimated with `df`
 * degrees of freedom: s * sqrt(df / chi2_{1-confidence, df}), the chi-square quantile by
 * Wilson-Hilferty (accurate to ~1% from df = 3). Why: a spread from 4 + 4 runs is itself noisy
 * (df = 6: it is below 71% of the true one one time in five), and a detectable change computed
 * from an underestimate is not detected 80% of the time; the bound keeps the promise.
 */
export function sdUpperBound(s: number, df: number, confidence = 0.9): number {
  const z = probit(1 - confidence);
  const k = 2 / (9 * df);
  const chi2 = df * (1 - k + z * Math.sqrt(k)) ** 3;
  return s * Math.sqrt(df / Math.max(chi2, 1e-9));
}

/** Pooled standard deviation of two samples around their own means; null below 3 values in all. */
export function pooledSd(a: readonly number[], b: readonly number[]): number | null {
  const ss = (xs: readonly number[]) => {
    if (xs.length === 0) return 0;
    const m = xs.reduce((x, y) => x + y, 0) / xs.length;
    return xs.reduce((x, y) => x + (y - m) ** 2, 0);
  };
  const df = Math.max(0, a.length - 1) + Math.max(0, b.length - 1);
  if (df < 1) return null;
  return Math.sqrt((ss(a) + ss(b)) / df);
}

/**
 * The smallest change this comparison detects with 80% power: margin + c * spread, where c is
 * the shift (in standard deviations) the exact test at `level` needs (detectableShiftInSd).
 */
export function detectableChange(input: {
  n1: number;
  n2: number;
  spread: number | null;
  margin: number;
  level: number;
}): number | null {
  if (input.spread === null) return null;
  const c = detectableShiftInSd(input.n1, input.n2, input.level);
  return c === null ? null : input.margin + c * input.spread;
}
