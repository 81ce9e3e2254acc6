import type { SloCheck } from './comparison.ts';
import { sameGroup } from './group-runs.ts';
import { shiftTest } from './shift-test.ts';

/** How much worse than the baseline (share of the objective) a candidate's miss must be to be its own. */
export const environmentTolerance = 0.25;

/**
 * Marks gating SLO misses that are the machine's, not the profile's. A candidate that misses an
 * objective fails the comparison only when its runs are worse than the baseline's by more than
 * 25% of the objective (one-sided exact test against that margin, p <= alpha), the same kind of
 * evidence a primary metric needs. Otherwise it is an environment finding:
 * - the baseline missed it too, by about as much (etcd's WAL fsync p99 < 10 ms on a disk that
 *   cannot do it for any profile); or
 * - the baseline's median met it, but the runs cannot tell the two apart: a machine sitting at
 *   the limit, whose median lands on either side of it run by run (an A/A pair would "fail" so
 *   several percent of the time).
 * A scenario run with one profile has no baseline: its misses gate as they are.
 */
export function markEnvironmentFindings(checks: readonly SloCheck[], alpha = 0.05): SloCheck[] {
  return checks.map((c) => {
    if (!c.gating || c.passed) return c;
    const base = checks.find(
      (b) => !b.gating && sameGroup(b, c) && b.metric === c.metric && b.side !== c.side,
    );
    if (!base) return c;
    const lowerIsBetter = c.objective.op === '<' || c.objective.op === '<=';
    const t = shiftTest(
      base.runs.map((r) => ({ value: r.value, censored: false })),
      c.runs.map((r) => ({ value: r.value, censored: false })),
      (lowerIsBetter ? 1 : -1) * environmentTolerance * Math.abs(c.objective.threshold),
    );
    const pWorse = lowerIsBetter ? t.pAbove : t.pBelow;
    return { ...c, environment: pWorse > alpha };
  });
}
