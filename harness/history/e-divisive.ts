import { seededRandom } from '../compare/seeded-random.ts';

export interface ChangePoint {
  /** Index of the first value after the change (the night the level shifted). */
  index: number;
  /** Permutation p-value of the split. */
  pValue: number;
  /** The energy statistic of the split (larger: a clearer difference). */
  q: number;
}

export interface EDivisiveOptions {
  /** Fewest values on each side of a change point (default 3). */
  minSize?: number;
  /** Permutations per significance test (default 199). */
  permutations?: number;
  /** A split is a change point when its permutation p-value is at most this (default 0.01: every
   * accepted split tests again inside its segment, so a stricter level keeps noise out). */
  significance?: number;
  seed?: number;
}

/**
 * E-divisive means (Matteson & James 2014, "A nonparametric approach for multiple change point
 * analysis of multivariate data", JASA), the change-point method MongoDB's and OpenShift's
 * performance CI run over nightly results: hierarchical binary segmentation by the energy
 * statistic
 *   Q(X, Y) = mn/(m+n) * [ 2/(mn) sum|x-y| - 1/C(m,2) sum|x-x'| - 1/C(n,2) sum|y-y'| ]
 * (alpha = 1), each new split kept only when a permutation test within its segment finds it
 * significant. Distribution-free: it needs no assumption on the shape of the nightly noise.
 *
 * Written here because no npm package implements it: the registry has
 * `bayesian-changepoint` (Bayesian online detection, a different model) and signal-processing
 * libraries without it; MongoDB's implementation is Python (signal-processing-algorithms).
 */
export function eDivisive(
  series: readonly number[],
  options: EDivisiveOptions = {},
): ChangePoint[] {
  const minSize = options.minSize ?? 3;
  const permutations = options.permutations ?? 199;
  const significance = options.significance ?? 0.01;
  const random = seededRandom(options.seed ?? 20240601);
  const found: ChangePoint[] = [];
  // segments [start, end) still to look into
  let segments: [number, number][] = [[0, series.length]];
  for (;;) {
    let best: { segment: [number, number]; index: number; q: number } | undefined;
    for (const seg of segments) {
      const split = bestSplit(series.slice(seg[0], seg[1]), minSize);
      if (split && (!best || split.q > best.q))
        best = { segment: seg, index: seg[0] + split.index, q: split.q };
    }
    if (!best) break;
    const values = series.slice(best.segment[0], best.segment[1]);
    let atLeast = 0;
    for (let p = 0; p < permutations; p++) {
      const shuffled = shuffle(values, random);
      const s = bestSplit(shuffled, minSize);
      if (s && s.q >= best.q) atLeast++;
    }
    const pValue = (atLeast + 1) / (permutations + 1);
    if (pValue > significance) break;
    found.push({ index: best.index, pValue, q: best.q });
    segments = segments.flatMap((seg) =>
      seg === best.segment
        ? [
            [seg[0], best.index],
            [best.index, seg[1]],
          ]
        : [seg],
    ) as [number, number][];
  }
  return found.sort((a, b) => a.index - b.index);
}

/** The split of `xs` with the largest energy statistic, each side at least minSize long. */
export function bestSplit(
  xs: readonly number[],
  minSize: number,
): { index: number; q: number } | undefined {
  const n = xs.length;
  if (n < 2 * minSize) return undefined;
  // distances once; sums by prefix where it pays (n is a few hundred nights at most)
  const d = (i: number, j: number) => Math.abs(xs[i]! - xs[j]!);
  let best: { index: number; q: number } | undefined;
  for (let tau = minSize; tau <= n - minSize; tau++) {
    const m = tau;
    const k = n - tau;
    let between = 0;
    for (let i = 0; i < m; i++) for (let j = m; j < n; j++) between += d(i, j);
    let within1 = 0;
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) within1 += d(i, j);
    let within2 = 0;
    for (let i = m; i < n; i++) for (let j = i + 1; j < n; j++) within2 += d(i, j);
    const e =
      (2 * between) / (m * k) -
      (m > 1 ? within1 / ((m * (m - 1)) / 2) : 0) -
      (k > 1 ? within2 / ((k * (k - 1)) / 2) : 0);
    const q = ((m * k) / (m + k)) * e;
    if (!best || q > best.q) best = { index: tau, q };
  }
  return best;
}

function shuffle(xs: readonly number[], random: () => number): number[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
