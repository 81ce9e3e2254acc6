import type { Direction } from '../results/schema.ts';
import type { Verdict } from './comparison.ts';
import { formatNumber, formatPValue } from './format-number.ts';

/** What a metric's verdict is decided from; every field is already computed. */
export interface VerdictInput {
  direction: Direction;
  baselineRuns: number;
  candidateRuns: number;
  alpha: number;
  /** Why no statistics could be computed (e.g. the sides report different units). */
  problem?: string;
  pValue?: number;
  /** Smallest p-value reachable with these run counts (mannWhitneyMinPValue). */
  minPValue?: number;
  /** Hodges-Lehmann shift, candidate - baseline. */
  shift?: number;
  ciLow?: number;
  ciHigh?: number;
  confidence?: number;
  noiseFloor?: number;
}

export interface VerdictDecision {
  verdict: Verdict;
  reason: string;
}

/**
 * The verdict for one metric. A change must pass all three: the Mann-Whitney p-value is below
 * alpha, the bootstrap interval of the shift excludes 0, and the shift lies outside the A/A noise
 * floor. Then the direction decides improved or regressed; direction `none` gives `changed`,
 * which never fails. Too few runs to ever reach alpha is `invalid` ("insufficient runs"), never
 * "no change": absence of evidence from 3 runs is not evidence of absence.
 */
export function metricVerdict(input: VerdictInput): VerdictDecision {
  const { baselineRuns: n1, candidateRuns: n2, alpha } = input;
  if (n1 === 0 || n2 === 0) {
    if (n1 === 0 && n2 === 0) return { verdict: 'invalid', reason: 'observed by neither side' };
    // Typically a milestone one profile never reached inside the window (no eviction within a
    // smoke fault window with the default 300 s tolerations): a difference in every run, but
    // with no value on one side to test or to call better, so it is reported as a change
    // (informational), not as a metric without a verdict that would void the comparison.
    return {
      verdict: 'changed',
      reason: `only the ${n1 === 0 ? 'candidate' : 'baseline'} observed it (not reached, or not produced, in any ${n1 === 0 ? 'baseline' : 'candidate'} run)`,
    };
  }
  if (input.problem) return { verdict: 'invalid', reason: input.problem };
  if (input.minPValue !== undefined && input.minPValue >= alpha) {
    return {
      verdict: 'invalid',
      reason: `insufficient runs: with ${n1} vs ${n2} runs the smallest possible p-value is ${formatPValue(input.minPValue)}, not below α=${alpha}`,
    };
  }
  const { pValue, shift, ciLow, ciHigh } = input;
  if (pValue === undefined || shift === undefined || ciLow === undefined || ciHigh === undefined) {
    return { verdict: 'invalid', reason: 'statistics missing' };
  }
  const ciText = `${Math.round((input.confidence ?? 0.95) * 100)}% CI [${formatNumber(ciLow)}, ${formatNumber(ciHigh)}]`;
  if (!(pValue < alpha)) {
    return {
      verdict: 'no-significant-change',
      reason: `p=${formatPValue(pValue)}, not below α=${alpha}`,
    };
  }
  if (ciLow <= 0 && ciHigh >= 0) {
    return { verdict: 'no-significant-change', reason: `${ciText} includes 0` };
  }
  if (shift === 0) return { verdict: 'no-significant-change', reason: 'shift estimate is 0' };
  if (input.noiseFloor !== undefined && Math.abs(shift) <= input.noiseFloor) {
    return {
      verdict: 'no-significant-change',
      reason: `shift ${formatNumber(shift)} inside noise floor ±${formatNumber(input.noiseFloor)}`,
    };
  }
  const evidence = `p=${formatPValue(pValue)}, ${ciText}${input.noiseFloor === undefined ? '' : `, outside noise floor ±${formatNumber(input.noiseFloor)}`}`;
  if (input.direction === 'none')
    return { verdict: 'changed', reason: `${evidence} (no better direction)` };
  const better = input.direction === 'lower' ? shift < 0 : shift > 0;
  return { verdict: better ? 'improved' : 'regressed', reason: evidence };
}
