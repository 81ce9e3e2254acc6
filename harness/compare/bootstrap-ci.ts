import { quantileSorted, sampleWithReplacement } from 'simple-statistics';
import { hodgesLehmann } from './hodges-lehmann.ts';
import { defaultSeed, seededRandom } from './seeded-random.ts';

export interface BootstrapOptions {
  /** Two-sided confidence level, default 0.95. */
  confidence?: number;
  /** Number of resamples, default 2000. */
  resamples?: number;
  /** PRNG seed: the same seed and data give the same interval. */
  seed?: number;
}

export interface ConfidenceInterval {
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export const bootstrapDefaults = { confidence: 0.95, resamples: 2000, seed: defaultSeed } as const;

type TwoSampleStatistic = (baseline: readonly number[], candidate: readonly number[]) => number;

/**
 * Percentile bootstrap confidence interval of a two-sample statistic (default: the
 * Hodges-Lehmann shift). Each resample draws both sides independently with replacement, keeping
 * their sizes. Percentile rather than BCa: with the 3-20 runs per side a benchmark affords, the
 * acceleration estimate is itself too noisy to help.
 *
 * simple-statistics provides the resampling (`sampleWithReplacement` with our seeded source) and
 * quantiles; it has no two-sample bootstrap, so the loop is here.
 */
export function bootstrapCi(
  baseline: readonly number[],
  candidate: readonly number[],
  options: BootstrapOptions = {},
  statistic: TwoSampleStatistic = hodgesLehmann,
): ConfidenceInterval {
  const confidence = options.confidence ?? bootstrapDefaults.confidence;
  const resamples = options.resamples ?? bootstrapDefaults.resamples;
  const seed = options.seed ?? bootstrapDefaults.seed;
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence ${confidence} not in (0, 1)`);
  if (!Number.isInteger(resamples) || resamples < 1)
    throw new RangeError(`resamples ${resamples} < 1`);
  if (baseline.length === 0 || candidate.length === 0) {
    throw new RangeError('bootstrapCi needs at least one value on each side');
  }
  const random = seededRandom(seed);
  const a = [...baseline];
  const b = [...candidate];
  const stats: number[] = new Array(resamples);
  for (let i = 0; i < resamples; i++) {
    stats[i] = statistic(
      sampleWithReplacement(a, a.length, random),
      sampleWithReplacement(b, b.length, random),
    );
  }
  stats.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return {
    low: quantileSorted(stats, tail),
    high: quantileSorted(stats, 1 - tail),
    confidence,
    resamples,
    seed,
  };
}
