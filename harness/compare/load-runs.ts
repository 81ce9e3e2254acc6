import { basename, relative } from 'node:path';
import { findRunDirs, readRun } from '../results/run-reader.ts';
import type { RunResult } from '../results/schema.ts';

export interface LoadedRun {
  dir: string;
  /** `dir` relative to the results directory ('.' for the directory itself). */
  relDir: string;
  run: RunResult;
}

export interface UnreadableRun {
  dir: string;
  relDir: string;
  /** Best guess of its id: the directory name. */
  runId: string;
  error: string;
}

/** Every run under a results directory; runs that cannot be read are returned, not thrown. */
export function loadRuns(resultsDir: string): { runs: LoadedRun[]; unreadable: UnreadableRun[] } {
  const runs: LoadedRun[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const dir of findRunDirs(resultsDir)) {
    const relDir = relative(resultsDir, dir) || '.';
    try {
      runs.push({ dir, relDir, run: readRun(dir) });
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      unreadable.push({ dir, relDir, runId: basename(dir), error });
    }
  }
  return { runs, unreadable };
}
