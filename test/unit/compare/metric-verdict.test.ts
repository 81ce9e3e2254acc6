import test from 'ava';
import type { Verdict } from '../../../harness/compare/comparison.ts';
import { metricVerdict, type VerdictInput } from '../../../harness/compare/metric-verdict.ts';

/** A significant, clear shift of +10 (CI [5, 15], p=0.01) with 5 runs a side; tweak per case. */
const base: VerdictInput = {
  direction: 'lower',
  baselineRuns: 5,
  candidateRuns: 5,
  alpha: 0.05,
  pValue: 0.01,
  minPValue: 2 / 252,
  shift: 10,
  ciLow: 5,
  ciHigh: 15,
  confidence: 0.95,
};

const verdictIs = test.macro({
  exec(t, change: Partial<VerdictInput>, expected: Verdict, reason?: RegExp) {
    const decision = metricVerdict({ ...base, ...change });
    t.is(decision.verdict, expected);
    if (reason) t.regex(decision.reason, reason);
  },
  title: (provided = '', _change, expected) => `${provided} -> ${expected}`,
});

test('lower is better, value went up', verdictIs, {}, 'regressed', /p=0.01/);
test(
  'lower is better, value went down',
  verdictIs,
  { shift: -10, ciLow: -15, ciHigh: -5 },
  'improved',
);
test('higher is better, value went up', verdictIs, { direction: 'higher' }, 'improved');
test(
  'higher is better, value went down',
  verdictIs,
  { direction: 'higher', shift: -10, ciLow: -15, ciHigh: -5 },
  'regressed',
);
test(
  'direction none never regresses',
  verdictIs,
  { direction: 'none' },
  'changed',
  /no better direction/,
);
test('p not below alpha', verdictIs, { pValue: 0.2 }, 'no-significant-change', /p=0.2/);
test('p equal to alpha is not significant', verdictIs, { pValue: 0.05 }, 'no-significant-change');
test(
  'CI includes 0 although p is small',
  verdictIs,
  { ciLow: -1, ciHigh: 15 },
  'no-significant-change',
  /includes 0/,
);
test(
  'inside the noise floor',
  verdictIs,
  { noiseFloor: 12 },
  'no-significant-change',
  /noise floor ±12/,
);
test('exactly on the noise floor', verdictIs, { noiseFloor: 10 }, 'no-significant-change');
test('outside the noise floor', verdictIs, { noiseFloor: 4 }, 'regressed', /outside noise floor/);
test(
  '3 vs 3 runs can never be significant',
  verdictIs,
  { baselineRuns: 3, candidateRuns: 3, minPValue: 0.1, pValue: 0.1 },
  'invalid',
  /insufficient runs/,
);
test(
  '3 vs 4 runs cannot reach 0.05 either',
  verdictIs,
  { baselineRuns: 3, candidateRuns: 4, minPValue: 2 / 35 },
  'invalid',
  /insufficient/,
);
test(
  '4 vs 4 runs can',
  verdictIs,
  { baselineRuns: 4, candidateRuns: 4, minPValue: 2 / 70, pValue: 2 / 70 },
  'regressed',
);
test(
  'a looser alpha lets 3 vs 3 decide',
  verdictIs,
  { baselineRuns: 3, candidateRuns: 3, minPValue: 0.1, pValue: 0.1, alpha: 0.2 },
  'regressed',
);
test(
  'observed only by the baseline',
  verdictIs,
  { candidateRuns: 0 },
  'changed',
  /only the baseline observed it \(not reached, or not produced, in any candidate run\)/,
);
test(
  'observed only by the candidate',
  verdictIs,
  { baselineRuns: 0 },
  'changed',
  /only the candidate observed it \(not reached, or not produced, in any baseline run\)/,
);
test(
  'a problem such as differing units',
  verdictIs,
  { problem: 'units differ: ms vs s' },
  'invalid',
  /units differ/,
);
test('statistics not computed', verdictIs, { pValue: undefined }, 'invalid');
test(
  'zero shift with a degenerate interval',
  verdictIs,
  { shift: 0, ciLow: 0, ciHigh: 0 },
  'no-significant-change',
);
