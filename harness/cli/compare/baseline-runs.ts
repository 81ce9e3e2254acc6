import { cpSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { comparisonDirs, loadComparisonRuns } from '../../compare/comparison-runs.ts';
import { exclusionReasons } from '../../compare/group-runs.ts';
import { readJsonFile, writeJsonFile } from '../../compare/json-file.ts';
import type { LoadedRun } from '../../compare/load-runs.ts';
import type { Problem } from '../../errors.ts';
import { runFiles } from '../../results/run-writer.ts';

export interface BaselineQuery {
  /** Profile name whose runs form the baseline side. */
  profile: string;
  scenarios: readonly string[];
  preset: string;
  /** Resolved parameters per scenario: the baseline must have run with the same ones. */
  params: ReadonlyMap<string, unknown>;
}

export interface BaselineRuns {
  /** Usable runs, by scenario, in the order they started. */
  byScenario: Map<string, LoadedRun[]>;
  problems: Problem[];
  /** Facts a reader of the report should know (runs skipped, digests that differ). */
  notes: string[];
}

/** Calibration runs carry the comparison id with this suffix (see planRuns). */
const isCalibration = (r: LoadedRun) => r.run.plan?.comparisonId.endsWith('-aa') ?? false;

/** JSON with sorted keys: parameter objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function differingKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/**
 * The runs of an earlier results directory that can stand in for the baseline profile ("tonight
 * against the last good night"): complete, valid, not part of an A/A calibration, same scenario,
 * preset and parameters. Runs with other parameters are never compared: a 10 s load against a
 * 30 s one measures the parameters, not the profile.
 */
export function findBaselineRuns(dir: string, query: BaselineQuery): BaselineRuns {
  const problems: Problem[] = [];
  const notes: string[] = [];
  const byScenario = new Map<string, LoadedRun[]>();
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push({ path: '--baseline', message: `${dir} is not a directory`, severity: 'error' });
    return { byScenario, problems, notes };
  }
  const { runs } = loadComparisonRuns(dir);
  for (const scenario of query.scenarios) {
    const candidates = runs.filter(
      (r) =>
        r.run.profile.name === query.profile &&
        r.run.scenario.name === scenario &&
        !isCalibration(r),
    );
    const wanted = query.params.get(scenario) as Record<string, unknown> | undefined;
    const usable: LoadedRun[] = [];
    const skipped: string[] = [];
    for (const r of candidates) {
      const reasons = exclusionReasons(r.run);
      if (r.run.scenario.preset !== query.preset) {
        skipped.push(`${r.run.runId}: preset ${r.run.scenario.preset ?? 'none'}`);
      } else if (reasons.length > 0) {
        skipped.push(`${r.run.runId}: ${reasons.join('; ')}`);
      } else if (wanted && canonical(r.run.scenario.parameters) !== canonical(wanted)) {
        const keys = differingKeys(r.run.scenario.parameters, wanted);
        skipped.push(`${r.run.runId}: other parameters (${keys.join(', ')})`);
      } else usable.push(r);
    }
    usable.sort((x, y) => x.run.startedAt.localeCompare(y.run.startedAt));
    if (usable.length === 0) {
      problems.push({
        path: '--baseline',
        message: `${dir} has no usable ${scenario} run of profile ${query.profile} with preset ${query.preset} and these parameters${
          skipped.length
            ? ` (skipped: ${skipped.join('; ')})`
            : candidates.length
              ? ''
              : ' (none at all)'
        }`,
        severity: 'error',
      });
      continue;
    }
    if (skipped.length) {
      notes.push(
        `baseline ${scenario}: ${skipped.length} run(s) of ${dir} not used: ${skipped.join('; ')}`,
      );
    }
    const digests = new Set(usable.map((r) => r.run.profile.digest));
    if (digests.size > 1) {
      notes.push(
        `baseline ${scenario}: the runs from ${dir} mix ${digests.size} digests of profile ${query.profile}`,
      );
    }
    byScenario.set(scenario, usable);
  }
  return { byScenario, problems, notes };
}

const RawRun = z.looseObject({ runId: z.string() });

/**
 * Copies baseline runs into `<resultsDir>/baseline/<run-id>/`, re-labelled as side A of this
 * comparison (their `plan` is rewritten; everything measured is kept as it was), so the results
 * directory holds every run its report is computed from and `tuneproof report` sees one
 * comparison. Returns the directories written.
 */
export function adoptBaselineRuns(
  runs: readonly LoadedRun[],
  resultsDir: string,
  comparisonId: string,
): string[] {
  const written: string[] = [];
  for (const [i, loaded] of runs.entries()) {
    const to = join(resultsDir, comparisonDirs.baseline, loaded.run.runId);
    cpSync(loaded.dir, to, { recursive: true });
    const path = join(to, runFiles.run);
    const raw = readJsonFile(path, RawRun, 'run');
    writeJsonFile(path, {
      ...raw,
      plan: {
        comparisonId,
        side: 'A',
        repetition: loaded.run.plan?.repetition ?? i + 1,
      },
      // where it came from, for people reading run.json (the result schema ignores extra keys)
      adoptedFrom: { dir: loaded.dir, plan: raw.plan ?? null },
    });
    written.push(to);
  }
  return written;
}
