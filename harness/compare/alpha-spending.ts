import { minOneSidedP } from './hodges-lehmann-ci.ts';

/**
 * Group-sequential error control for `--repeat auto`: a look after every block from minBlocks to
 * maxBlocks, each look testing at the alpha the spending function releases since the previous
 * look. Spending function: Lan-DeMets Pocock type, alpha(t) = alpha * ln(1 + (e - 1) t) with t
 * the share of maxBlocks done (Lan & DeMets 1983), which spends early, so an obvious answer can
 * stop at the first look. The looks' levels are the spent increments themselves, a Bonferroni
 * bound over looks: the chance of any false verdict over all looks is at most the sum, alpha,
 * for any correlation between looks and for rank tests, where the usual multivariate-normal
 * boundaries would need a normal statistic; it is conservative by the looks' positive
 * correlation.
 */
export function spentAlpha(alpha: number, blocks: number, maxBlocks: number): number {
  const t = Math.min(1, Math.max(0, blocks / maxBlocks));
  return alpha * Math.log(1 + (Math.E - 1) * t);
}

/** The nominal level of the look after `blocks` blocks (looks start at minBlocks). */
export function lookAlpha(
  alpha: number,
  blocks: number,
  plan: { minBlocks: number; maxBlocks: number },
): number {
  const before = blocks <= plan.minBlocks ? 0 : spentAlpha(alpha, blocks - 1, plan.maxBlocks);
  return spentAlpha(alpha, blocks, plan.maxBlocks) - before;
}

/**
 * The fewest blocks at which the first look can decide all `primaries` at once: Holm's first
 * step tests at level/primaries, and an exact rank test with n runs a side cannot go below
 * 1/C(2n, n). With 3 primaries, alpha 0.05 and 10 blocks at most: 5 (at 4 blocks the first
 * look's 0.031 / 3 = 0.010 is below 1/70 = 0.014).
 */
export function minimumBlocks(
  alpha: number,
  primaries: number,
  maxBlocks: number,
  floor = 4,
): number {
  for (let n = floor; n <= maxBlocks; n++) {
    if (minOneSidedP(n, n) <= spentAlpha(alpha, n, maxBlocks) / Math.max(1, primaries)) return n;
  }
  return maxBlocks;
}
