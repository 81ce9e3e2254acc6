import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { type LoadedRun, loadRuns, type UnreadableRun } from './load-runs.ts';

/**
 * Where a comparison keeps its runs, below its results directory:
 *   runs/<run-id>/           the current attempt of each planned run
 *   baseline/<run-id>/       runs copied from the `--baseline` directory
 *   superseded/<run-id>.<n>/ earlier attempts that `--resume` replaced (kept for debugging)
 */
export const comparisonDirs = {
  runs: 'runs',
  baseline: 'baseline',
  superseded: 'superseded',
} as const;

const isSuperseded = (relDir: string) =>
  relDir === comparisonDirs.superseded || relDir.startsWith(`${comparisonDirs.superseded}${sep}`);

export interface ComparisonRuns {
  /** Runs that take part: current attempts and baseline copies. */
  runs: LoadedRun[];
  unreadable: UnreadableRun[];
  /** Earlier attempts replaced by a resume: not part of the statistics. */
  superseded: LoadedRun[];
}

/** The runs of a comparison's results directory, with superseded attempts set apart. */
export function loadComparisonRuns(resultsDir: string): ComparisonRuns {
  const { runs, unreadable } = loadRuns(resultsDir);
  return {
    runs: runs.filter((r) => !isSuperseded(r.relDir)),
    unreadable: unreadable.filter((u) => !isSuperseded(u.relDir)),
    superseded: runs.filter((r) => isSuperseded(r.relDir)),
  };
}

/** The directory a planned run writes to. */
export function runDirOf(resultsDir: string, runId: string): string {
  return join(resultsDir, comparisonDirs.runs, runId);
}

/**
 * Moves an attempt that is about to be re-run out of the way: runs/<id> becomes
 * superseded/<id>.<n>, so the new attempt starts in an empty directory (a run writer appends to
 * the NDJSON files it finds) and the old one keeps its logs for whoever wants to know why it
 * failed. Returns the new path relative to the results directory.
 */
export function supersede(resultsDir: string, runDir: string): string {
  const target = join(resultsDir, comparisonDirs.superseded);
  mkdirSync(target, { recursive: true });
  let n = 1;
  while (existsSync(join(target, `${basename(runDir)}.${n}`))) n++;
  const to = join(target, `${basename(runDir)}.${n}`);
  renameSync(runDir, to);
  return relative(resultsDir, to);
}
