import type { Comparison, GroupRef } from '../compare/comparison.ts';
import { sameGroup } from '../compare/group-runs.ts';

/** A group whose only pairs are A/A calibrations: its SLO checks repeat the baseline's. */
export function isCalibrationGroup(c: Comparison, g: GroupRef): boolean {
  const pairs = c.pairs.filter((p) => sameGroup(p, g));
  return pairs.length > 0 && pairs.every((p) => p.calibration);
}
