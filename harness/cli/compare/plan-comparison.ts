import { type PlannedRun, planRuns, type RunPlan } from '../../compare/plan-runs.ts';
import type { CompareSetup } from './compare-options.ts';
import type { ComparePlanFile } from './compare-plan-file.ts';

export interface ComparisonPlan extends RunPlan {
  /** The planned runs this comparison makes itself, in order. */
  toRun: PlannedRun[];
  /** Side-A runs that come from the --baseline directory instead. */
  fromBaseline: PlannedRun[];
}

/**
 * The interleaved plan (planRuns) and which of its runs are made here. Side A's own runs are
 * skipped when a baseline directory supplies them, and when a single profile is calibrated (the
 * A/A pair is then the whole experiment, and side A would only repeat it a third time).
 */
export function planComparison(setup: CompareSetup, comparisonId: string): ComparisonPlan {
  const plan = planRuns({
    profiles: setup.profiles.map((p) => p.name),
    scenarios: setup.scenarios.map((s) => s.name),
    repeat: setup.request.repeat,
    calibrate: setup.request.calibrate,
    comparisonId,
    // plans from before the seed was recorded keep the order they were made in
    ...(setup.request.seed === undefined
      ? {}
      : { order: 'randomised' as const, seed: setup.request.seed }),
  });
  const skipSideA = setup.request.baseline !== undefined || setup.profiles.length === 1;
  const skipped = (r: PlannedRun) => skipSideA && !r.calibration && r.side === 'A';
  return {
    ...plan,
    toRun: plan.runs.filter((r) => !skipped(r)),
    fromBaseline: setup.request.baseline === undefined ? [] : plan.runs.filter(skipped),
  };
}

/** plan.json's content for a new comparison. */
export function planFileOf(
  setup: CompareSetup,
  plan: ComparisonPlan,
  toolVersion: string,
  now: Date = new Date(),
): ComparePlanFile {
  const baseline = new Set(plan.fromBaseline.map((r) => r.runId));
  const made = new Set(plan.toRun.map((r) => r.runId));
  return {
    schemaVersion: 1,
    comparisonId: plan.comparisonId,
    createdAt: now.toISOString(),
    toolVersion,
    request: setup.request,
    notes: setup.baseline?.notes ?? [],
    profiles: setup.profiles.map((p, i) => ({
      name: p.name,
      digest: p.digest,
      file: setup.request.profileFiles[i] ?? '',
    })),
    runs: plan.runs
      .filter((r) => made.has(r.runId) || baseline.has(r.runId))
      .map((r) => ({
        runId: r.runId,
        scenario: r.scenario,
        profile: r.profile,
        side: r.side,
        repetition: r.repetition,
        calibration: r.calibration,
        fromBaseline: baseline.has(r.runId),
      })),
  };
}
