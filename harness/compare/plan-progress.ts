import { groupRuns } from './group-runs.ts';
import { type LoadedRun, loadRuns } from './load-runs.ts';
import type { PlannedRun } from './plan-runs.ts';

export type PlannedRunState = 'complete' | 'invalid' | 'incomplete' | 'missing';

export interface PlannedRunProgress {
  run: PlannedRun;
  /**
   * complete: finished and usable; invalid: finished but marked invalid (host contention...);
   * incomplete: failed, interrupted or killed; missing: no run directory has its id.
   */
  state: PlannedRunState;
  /** The run directory found, relative to the results directory. */
  dir?: string;
  reasons?: string[];
}

const rank: Record<PlannedRunState, number> = {
  complete: 3,
  invalid: 2,
  incomplete: 1,
  missing: 0,
};

/**
 * Which planned runs the results directory already holds (for resume). When a run id occurs
 * more than once (a retried run), the best state counts. Callers re-run every state but
 * `complete`: an invalid run contributes nothing to the statistics.
 */
export function planProgress(
  plan: readonly PlannedRun[],
  resultsDirOrRuns: string | readonly LoadedRun[],
): PlannedRunProgress[] {
  const runs =
    typeof resultsDirOrRuns === 'string' ? loadRuns(resultsDirOrRuns).runs : resultsDirOrRuns;
  const { excluded } = groupRuns(runs);
  const reasonsById = new Map<string, string[]>();
  for (const e of excluded) reasonsById.set(`${e.dir}\0${e.runId}`, e.reasons);
  return plan.map((planned) => {
    let best: PlannedRunProgress = { run: planned, state: 'missing' };
    for (const loaded of runs) {
      if (loaded.run.runId !== planned.runId) continue;
      const reasons = reasonsById.get(`${loaded.relDir}\0${loaded.run.runId}`);
      const finished = loaded.run.status === 'complete' && !loaded.run.partial;
      const state: PlannedRunState = !reasons ? 'complete' : finished ? 'invalid' : 'incomplete';
      if (rank[state] > rank[best.state]) {
        best = { run: planned, state, dir: loaded.relDir, ...(reasons ? { reasons } : {}) };
      }
    }
    return best;
  });
}

/** The planned runs still to do, in plan order. */
export function pendingRuns(progress: readonly PlannedRunProgress[]): PlannedRun[] {
  return progress.filter((p) => p.state !== 'complete').map((p) => p.run);
}
