import { join } from 'node:path';
import { verdictsOf } from '../../../scenarios/verdicts-of.ts';
import { compareRuns } from '../../compare/compare-runs.ts';
import type { Comparison } from '../../compare/comparison.ts';
import { writeComparison } from '../../compare/comparison-file.ts';
import { loadComparisonRuns } from '../../compare/comparison-runs.ts';
import { exclusionReasons } from '../../compare/group-runs.ts';
import {
  type NoiseFloor,
  noiseFloorFile,
  noiseFloorFrom,
  writeNoiseFloor,
} from '../../compare/noise-floor.ts';
import type { PlannedRun } from '../../compare/plan-runs.ts';
import { ExitCode } from '../../errors.ts';
import { designOf } from '../../report/design-of.ts';
import { hasPlanFile, readPlanFile } from './compare-plan-file.ts';

export interface FinishOptions {
  /** Runs this comparison made itself (not the baseline's). */
  planned: readonly PlannedRun[];
  noiseFloor?: { floor: NoiseFloor; path: string };
  /** Write noise-floor.json from the A/A pairs (--calibrate). */
  calibrate: boolean;
  /** --repeat auto: the nominal alpha of this look. */
  lookAlpha?: number;
  /** Notes for the report: baseline runs skipped, attempts superseded... */
  notes?: readonly string[];
  now?: Date;
}

export interface FinishedComparison {
  comparison: Comparison;
  comparisonPath: string;
  noiseFloorPath?: string;
  /**
   * The comparison's exit code, except when not one planned run completed and some failed:
   * then the harness or its environment is broken (clusters never came up), exit 4, not 3.
   */
  exitCode: number;
}

/**
 * Computes the comparison over the runs in the results directory (superseded attempts left out,
 * planned runs that never ran noted) and writes comparison.json, and noise-floor.json when
 * calibrating.
 */
export function finishComparison(resultsDir: string, options: FinishOptions): FinishedComparison {
  const { runs, unreadable, superseded } = loadComparisonRuns(resultsDir);
  const now = options.now ?? new Date();
  const comparison = compareRuns(runs, {
    unreadable,
    now,
    verdictsOf,
    design: designOf(resultsDir),
    margins: hasPlanFile(resultsDir) ? readPlanFile(resultsDir).request.margins : {},
    ...(options.lookAlpha === undefined ? {} : { lookAlpha: options.lookAlpha }),
    ...(options.noiseFloor
      ? { noiseFloor: options.noiseFloor.floor, noiseFloorPath: options.noiseFloor.path }
      : {}),
  });
  const found = new Set(runs.map((r) => r.run.runId));
  const missing = options.planned.filter((p) => !found.has(p.runId));
  if (missing.length) {
    comparison.notes.push(
      `${missing.length} planned run(s) never ran: ${missing.map((m) => m.runId).join(', ')} (tuneproof compare --resume ${resultsDir} makes them)`,
    );
  }
  for (const s of superseded) {
    const why = exclusionReasons(s.run).map((r) => r.split('\n')[0]);
    comparison.notes.push(
      `${s.relDir}: an earlier attempt at ${s.run.runId} (${why.join('; ') || s.run.status}), replaced by a later attempt and not used`,
    );
  }
  comparison.notes.push(...(options.notes ?? []));
  const comparisonPath = writeComparison(resultsDir, comparison);

  let noiseFloorPath: string | undefined;
  if (options.calibrate) {
    const floor = noiseFloorFrom(comparison.pairs, now);
    if (floor) noiseFloorPath = writeNoiseFloor(join(resultsDir, noiseFloorFile), floor);
  }

  const plannedIds = new Set(options.planned.map((p) => p.runId));
  const ours = runs.filter((r) => plannedIds.has(r.run.runId));
  const harnessBroken =
    ours.length > 0 &&
    !ours.some((r) => r.run.status === 'complete') &&
    ours.some((r) => r.run.status === 'failed');
  return {
    comparison,
    comparisonPath,
    ...(noiseFloorPath ? { noiseFloorPath } : {}),
    exitCode: harnessBroken ? ExitCode.harnessError : comparison.outcome.exitCode,
  };
}
