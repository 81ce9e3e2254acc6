import { join } from 'node:path';
import { verdictsOf } from '../../scenarios/verdicts-of.ts';
import { hasPlanFile, readPlanFile } from '../compare/compare-plan-file.ts';
import { compareRuns } from '../compare/compare-runs.ts';
import type { Comparison } from '../compare/comparison.ts';
import { readComparison } from '../compare/comparison-file.ts';
import { loadComparisonRuns } from '../compare/comparison-runs.ts';
import { exclusionReasons } from '../compare/group-runs.ts';
import type { LoadedRun, UnreadableRun } from '../compare/load-runs.ts';
import {
  type NoiseFloor,
  noiseFloorFile,
  noiseFloorFrom,
  readNoiseFloor,
  readNoiseFloorIn,
} from '../compare/noise-floor.ts';
import type { Margin } from '../compare/primary-metric.ts';
import { readHistoryIn } from '../history/history-file.ts';
import type { History } from '../history/nightly-history.ts';
import { readSamples } from '../results/run-reader.ts';
import type { Sample } from '../results/schema.ts';
import { designOf } from './design-of.ts';

export interface ReportRun extends LoadedRun {
  samples: Sample[];
  /** Why the run was left out of the statistics; empty when it was used. */
  excludedBecause: string[];
}

export interface ReportData {
  resultsDir: string;
  generatedAt: Date;
  comparison: Comparison;
  /** 'file': comparison.json as written by the comparison; 'computed': by this report. */
  comparisonSource: 'file' | 'computed';
  noiseFloor?: NoiseFloor;
  /** Every run found, usable or not, in the order they started. */
  runs: ReportRun[];
  unreadable: UnreadableRun[];
  /** The nightly trend, when `tuneproof history --out` wrote history.json here. */
  history?: History;
}

export interface ReportOptions {
  /** Apply this noise floor file (recomputes the comparison). */
  noiseFloorPath?: string;
  /** Ignore comparison.json and compute the comparison from the runs. */
  recompute?: boolean;
  /** Margins replacing the scenarios' (recomputes). */
  margins?: Record<string, Margin>;
  /** SLO misses both sides share fail too (recomputes). */
  strictSlo?: boolean;
  now?: Date;
}

/**
 * Everything a report shows. comparison.json is used when present (it records the options the
 * comparison ran with); otherwise the comparison is computed here from the runs, applying the
 * given noise floor, else noise-floor.json from the directory, else a calibration among the runs. With one profile per
 * scenario the "comparison" holds no pairs, only the runs' SLO checks.
 */
export function loadReportData(resultsDir: string, options: ReportOptions = {}): ReportData {
  // attempts a resume superseded are kept on disk for debugging, not reported or counted
  const { runs, unreadable } = loadComparisonRuns(resultsDir);
  const reportRuns: ReportRun[] = runs
    .map((r) => ({ ...r, samples: readSamples(r.dir), excludedBecause: exclusionReasons(r.run) }))
    .sort(
      (x, y) =>
        x.run.startedAt.localeCompare(y.run.startedAt) || x.run.runId.localeCompare(y.run.runId),
    );
  const fileFloor = options.noiseFloorPath ? readNoiseFloor(options.noiseFloorPath) : undefined;
  const recompute = options.recompute || options.margins !== undefined || options.strictSlo;
  const stored = recompute || fileFloor ? undefined : readComparison(resultsDir);
  const now = options.now ?? new Date();
  let comparison = stored;
  let noiseFloor = fileFloor;
  if (!comparison) {
    const dirFloor = fileFloor ? undefined : readNoiseFloorIn(resultsDir);
    noiseFloor = fileFloor ?? dirFloor;
    const floorPath =
      options.noiseFloorPath ?? (dirFloor ? join(resultsDir, noiseFloorFile) : undefined);
    // Precedence: --noise-floor, then noise-floor.json here, then a calibration among the runs.
    const useFloor = fileFloor ?? dirFloor;
    comparison = compareRuns(runs, {
      unreadable,
      now,
      verdictsOf,
      margins: options.margins ?? planMargins(resultsDir),
      ...designOption(resultsDir, options.strictSlo === true),
      ...(useFloor
        ? { noiseFloor: useFloor, ...(floorPath ? { noiseFloorPath: floorPath } : {}) }
        : {}),
    });
    noiseFloor ??= noiseFloorFrom(comparison.pairs, now);
  } else {
    noiseFloor = readNoiseFloorIn(resultsDir) ?? noiseFloorFrom(comparison.pairs, now);
  }
  return {
    resultsDir,
    generatedAt: now,
    comparison,
    comparisonSource: stored ? 'file' : 'computed',
    ...(noiseFloor ? { noiseFloor } : {}),
    runs: reportRuns,
    unreadable,
    ...withHistory(resultsDir),
  };
}

/** plan.json's design, with --strict-slo given to the report added. */
function designOption(resultsDir: string, strictSlo: boolean): { design?: Comparison['design'] } {
  const design = designOf(resultsDir);
  if (design) return { design: strictSlo ? { ...design, strictSlo } : design };
  return strictSlo ? { design: { interleaved: true, strictSlo } } : {};
}

/** The margins the comparison was asked for (--margin), when it has a plan.json. */
function planMargins(resultsDir: string): Record<string, Margin> {
  return hasPlanFile(resultsDir) ? readPlanFile(resultsDir).request.margins : {};
}

function withHistory(resultsDir: string): { history?: History } {
  const history = readHistoryIn(resultsDir);
  return history ? { history } : {};
}
