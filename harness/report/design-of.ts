import { hasPlanFile, readPlanFile } from '../compare/compare-plan-file.ts';
import type { Comparison } from '../compare/comparison.ts';

/**
 * How a results directory's runs were made, from its plan.json: interleaved unless the baseline
 * came from an earlier directory, the block order's seed, the sequential looks. Runs made outside
 * `compare` (no plan.json) record nothing.
 */
export function designOf(resultsDir: string): Comparison['design'] {
  if (!hasPlanFile(resultsDir)) return undefined;
  const plan = readPlanFile(resultsDir);
  return {
    interleaved: plan.request.baseline === undefined,
    ...(plan.request.seed === undefined ? {} : { seed: plan.request.seed }),
    ...(plan.sequential ? { sequential: plan.sequential } : {}),
    strictSlo: plan.request.strictSlo ?? false,
  };
}
