import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** Seed used when the caller gives none: comparisons are reproducible by default. */
export const defaultSeed = 20240601;

/**
 * A seeded source of uniform numbers in [0, 1), the shape simple-statistics' sampling functions
 * take as `randomSource`. The same seed gives the same sequence on every machine.
 */
export function seededRandom(seed: number): () => number {
  const rng = xoroshiro128plus(seed | 0);
  return () => uniformFloat64(rng);
}

/**
 * A 32-bit seed for one metric from the comparison's seed and the metric's identity (FNV-1a), so
 * a metric's confidence interval does not change when other metrics are added or reordered.
 */
export function deriveSeed(seed: number, identity: string): number {
  let h = 0x811c9dc5 ^ (seed | 0);
  for (let i = 0; i < identity.length; i++) {
    h ^= identity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
