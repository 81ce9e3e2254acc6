import type { SequentialState } from '../../compare/comparison.ts';
import { readPlanFile, writePlanFile } from './compare-plan-file.ts';

/** Records where `--repeat auto` stands in plan.json, so reports and resumes know the look. */
export function recordSequentialState(resultsDir: string, state: SequentialState): void {
  writePlanFile(resultsDir, { ...readPlanFile(resultsDir), sequential: state });
}
