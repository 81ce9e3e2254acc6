/**
 * Multiple-testing adjustments, written here because simple-statistics has none and the npm
 * packages that do (e.g. for R ports) pull in whole numeric stacks for two short loops.
 */

/**
 * Holm's step-down adjusted p-values (Holm 1979): family-wise error control, uniformly more
 * powerful than Bonferroni. Reject where adjusted <= alpha.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const k = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = new Array<number>(k);
  let running = 0;
  for (const [rank, { p, i }] of order.entries()) {
    running = Math.max(running, Math.min(1, (k - rank) * p));
    out[i] = running;
  }
  return out;
}

/**
 * Benjamini-Hochberg adjusted p-values (q-values, step-up): false-discovery-rate control for the
 * many informational metrics. Reject where adjusted <= q.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const k = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((x, y) => x.p - y.p);
  const out = new Array<number>(k);
  let running = 1;
  for (let rank = k - 1; rank >= 0; rank--) {
    const { p, i } = order[rank]!;
    running = Math.min(running, Math.min(1, (k * p) / (rank + 1)));
    out[i] = running;
  }
  return out;
}
