import type { Observation } from './observation.ts';

/**
 * Gehan-Mantel scores of pooled observations: for each, how many others are certainly smaller
 * minus how many are certainly larger. A censored value c ("not reached by c") is certainly larger
 * than an observed value <= c and comparable with nothing above it or with another censored one.
 * Without censoring the score is 2 * mid-rank - (N + 1), the Wilcoxon score, so one exact test
 * (exact-score-test.ts) serves both: Gehan's generalised Wilcoxon test (Gehan 1965, in Mantel's
 * scoring) when some runs never reached the milestone, Mann-Whitney when all did.
 */
export function gehanScores(pooled: readonly Observation[]): number[] {
  const below = (x: Observation, y: Observation) =>
    !x.censored && (x.value < y.value || (y.censored && x.value <= y.value));
  return pooled.map((y) => {
    let score = 0;
    for (const x of pooled) {
      if (x === y) continue;
      if (below(x, y)) score++;
      else if (below(y, x)) score--;
    }
    return score;
  });
}
