import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { PlannedRun } from '../../compare/plan-runs.ts';
import type { ResolvedProfile } from '../../profiles/index.ts';
import { profileRef } from '../../profiles/profile-ref.ts';
import { readRun } from '../../results/run-reader.ts';
import { RunWriter, runFiles } from '../../results/run-writer.ts';

/**
 * Makes sure a run that threw before its result was finalised still leaves a failed run.json
 * with the error, so the report lists it as excluded with its reason instead of it silently
 * missing. A run.json that already says how the run ended is left alone.
 */
export function recordFailedRun(opts: {
  runDir: string;
  planned: PlannedRun;
  profile: ResolvedProfile;
  preset: string;
  params: unknown;
  toolVersion: string;
  error: unknown;
}): void {
  const path = join(opts.runDir, runFiles.run);
  if (existsSync(path)) {
    try {
      if (readRun(opts.runDir).status !== 'running') return;
    } catch {
      // unreadable: replaced below by a record of the failure
    }
  }
  const writer = new RunWriter(opts.runDir, {
    runId: opts.planned.runId,
    toolVersion: opts.toolVersion,
    profile: profileRef(opts.profile),
    scenario: {
      name: opts.planned.scenario,
      preset: opts.preset,
      parameters: opts.params as Record<string, unknown>,
    },
    plan: {
      comparisonId: opts.planned.comparisonId,
      side: opts.planned.side,
      repetition: opts.planned.repetition,
    },
  });
  writer.event({
    kind: 'error',
    name: 'run failed',
    detail: { message: opts.error instanceof Error ? opts.error.message : String(opts.error) },
  });
  writer.finish('failed', opts.error);
}
