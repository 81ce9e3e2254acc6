import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadComparisonRuns, runDirOf, supersede } from '../../compare/comparison-runs.ts';
import { type PlannedRunProgress, planProgress } from '../../compare/plan-progress.ts';
import type { PlannedRun } from '../../compare/plan-runs.ts';
import { runFiles } from '../../results/run-writer.ts';

export interface ResumeState {
  progress: PlannedRunProgress[];
  /**
   * Planned runs still to make, in plan order: whole blocks. A block (one scenario, one
   * repetition: a run of every side) with any run to redo is made again entirely, so its runs
   * stay next to each other in time as the interleaving intends.
   */
  pending: PlannedRun[];
  /** Complete runs made again because their block is (superseded like the others). */
  redoneComplete: PlannedRun[];
  /** Wall times (start to finish) of the complete runs found, for a first estimate. */
  completedDurationsMs: number[];
}

/**
 * Where a comparison's results directory stands against its plan: complete runs are kept;
 * everything else (killed: run.json still says running; interrupted; failed; invalid) is to be
 * made again.
 */
export function resumeState(resultsDir: string, runs: readonly PlannedRun[]): ResumeState {
  const loaded = loadComparisonRuns(resultsDir).runs;
  const progress = planProgress(runs, loaded);
  const byId = new Map(loaded.map((l) => [l.run.runId, l.run]));
  const completedDurationsMs = progress
    .filter((p) => p.state === 'complete')
    .map((p) => byId.get(p.run.runId))
    .filter((r) => r?.finishedAt !== undefined)
    .map((r) => Date.parse(r!.finishedAt!) - Date.parse(r!.startedAt));
  const blockOf = (r: PlannedRun) => `${r.scenario}\0${r.repetition}`;
  const redo = new Set(progress.filter((p) => p.state !== 'complete').map((p) => blockOf(p.run)));
  const pending = progress.filter((p) => redo.has(blockOf(p.run))).map((p) => p.run);
  return {
    progress,
    pending,
    redoneComplete: progress
      .filter((p) => p.state === 'complete' && redo.has(blockOf(p.run)))
      .map((p) => p.run),
    completedDurationsMs,
  };
}

export interface SupersededAttempt {
  runId: string;
  /** Where the earlier attempt now is, relative to the results directory. */
  movedTo: string;
  state: PlannedRunProgress['state'];
  reasons: string[];
}

/**
 * Moves the earlier attempts of the runs about to be made again out of runs/ (see supersede),
 * so each re-run starts from an empty directory. Returns what was moved.
 */
export function supersedePending(
  resultsDir: string,
  progress: readonly PlannedRunProgress[],
  /** Runs made again although complete (their block is redone). */
  alsoComplete: readonly PlannedRun[] = [],
): SupersededAttempt[] {
  const moved: SupersededAttempt[] = [];
  const redo = new Set(alsoComplete.map((r) => r.runId));
  for (const p of progress) {
    if (p.state === 'complete' && !redo.has(p.run.runId)) continue;
    const dir = runDirOf(resultsDir, p.run.runId);
    if (!existsSync(dir)) continue;
    // a directory without run.json (killed before its writer started) holds nothing worth keeping,
    // but it is moved all the same: nothing is deleted from a results directory
    const movedTo = supersede(resultsDir, dir);
    moved.push({
      runId: p.run.runId,
      movedTo,
      state: existsSync(join(resultsDir, movedTo, runFiles.run)) ? p.state : 'missing',
      reasons:
        p.state === 'complete' ? ['complete, but its block is made again'] : (p.reasons ?? []),
    });
  }
  return moved;
}
