import { exactScoreTest } from './exact-score-test.ts';
import { gehanScores } from './gehan-scores.ts';
import type { Observation } from './observation.ts';

export interface ShiftTest {
  /** One-sided p of "shift <= delta" (small: the candidate is larger by more than delta). */
  pAbove: number;
  /** One-sided p of "shift >= delta" (small: the candidate is smaller by more than delta). */
  pBelow: number;
  method: 'exact' | 'normal';
}

/**
 * Tests the shift candidate - baseline against `delta`: the candidate's values (and censoring
 * points) moved by -delta are compared with the baseline's by the exact Gehan/Mann-Whitney score
 * test. With delta = 0 this is the plain two-sample test; with delta = +margin it asks whether
 * the candidate is worse (or better) by more than the margin. For untied, uncensored data,
 * pAbove <= alpha exactly when the lower end of the order-statistic CI of the Hodges-Lehmann
 * shift at one-sided level alpha lies above delta (hodges-lehmann-ci.ts), so verdicts from these
 * p-values and the interval agree by construction.
 */
export function shiftTest(
  baseline: readonly Observation[],
  candidate: readonly Observation[],
  delta: number,
): ShiftTest {
  const pooled = [
    ...baseline,
    ...candidate.map((o) => ({ value: o.value - delta, censored: o.censored })),
  ];
  const isCandidate = pooled.map((_, i) => i >= baseline.length);
  const t = exactScoreTest(gehanScores(pooled), isCandidate);
  return { pAbove: t.pGreater, pBelow: t.pLess, method: t.method };
}
