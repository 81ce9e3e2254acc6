import { metricKey } from '../results/schema.ts';
import { bootstrapDefaults } from './bootstrap-ci.ts';
import { compareMetric, type MetricSeries } from './compare-metric.ts';
import {
  type Comparison,
  type ComparisonOptions,
  comparisonSchemaVersion,
  type GroupRef,
  type GroupSide,
  type PairComparison,
  type SideRef,
  type SloCheck,
} from './comparison.ts';
import { groupLabel, groupRuns, type RunGroup, type RunSide, sameGroup } from './group-runs.ts';
import type { LoadedRun, UnreadableRun } from './load-runs.ts';
import { findNoiseFloor, type NoiseFloor, noiseFloorFrom } from './noise-floor.ts';
import { combineVerdicts, decideOutcome } from './outcome.ts';
import { checkSlo } from './slo-check.ts';

export const comparisonDefaults: ComparisonOptions = {
  alpha: 0.05,
  confidence: bootstrapDefaults.confidence,
  resamples: bootstrapDefaults.resamples,
  seed: bootstrapDefaults.seed,
};

export interface CompareRunsOptions extends Partial<ComparisonOptions> {
  /** Side or profile name of the baseline (see groupRuns). */
  baseline?: string;
  /**
   * A noise floor from an earlier calibration. Without one, calibration (A/A) pairs among the
   * runs themselves provide it.
   */
  noiseFloor?: NoiseFloor;
  /** Where `noiseFloor` was read from, recorded in the comparison. */
  noiseFloorPath?: string;
  unreadable?: readonly UnreadableRun[];
  now?: Date;
}

/**
 * Compares runs: per scenario the baseline side against every other side, per metric the
 * Hodges-Lehmann shift with a bootstrap CI and a Mann-Whitney test, the noise floor applied, and
 * every SLO checked. Invalid, failed and unfinished runs are left out and listed.
 */
export function compareRuns(
  runs: readonly LoadedRun[],
  options: CompareRunsOptions = {},
): Comparison {
  const opts: ComparisonOptions = {
    alpha: options.alpha ?? comparisonDefaults.alpha,
    confidence: options.confidence ?? comparisonDefaults.confidence,
    resamples: options.resamples ?? comparisonDefaults.resamples,
    seed: options.seed ?? comparisonDefaults.seed,
  };
  const grouped = groupRuns(runs, {
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.unreadable === undefined ? {} : { unreadable: options.unreadable }),
  });
  const notes = [...grouped.notes];

  // Calibration pairs first: without a noise floor given, theirs applies to the others.
  const calibrations = grouped.groups.flatMap((g) =>
    pairsOf(g)
      .filter(([a, b]) => a.profile.digest === b.profile.digest)
      .map(([a, b]) => comparePair(g, a, b, true, opts, undefined)),
  );
  const floor = options.noiseFloor ?? noiseFloorFrom(calibrations, options.now);
  const noiseSource: Comparison['noiseFloor'] = options.noiseFloor
    ? { source: 'file', ...(options.noiseFloorPath ? { path: options.noiseFloorPath } : {}) }
    : floor
      ? { source: 'calibration' }
      : { source: 'none' };
  if (floor && floor.entries.length === 0)
    notes.push('the noise floor has no entries: no A/A metric had a shift');

  const pairs: PairComparison[] = [];
  for (const g of grouped.groups) {
    for (const [a, b] of pairsOf(g)) {
      const calibration = a.profile.digest === b.profile.digest;
      if (calibration) {
        const done = calibrations.find((c) => sameGroup(c, g) && c.candidate.side === b.side);
        if (done) pairs.push(done);
      } else {
        pairs.push(comparePair(g, a, b, false, opts, floor));
      }
    }
  }

  const slo = grouped.groups.flatMap((g) => sloChecks(g));
  const sides: GroupSide[] = grouped.groups.flatMap((g) =>
    g.sides.map((s) => ({ ...groupRef(g), ...sideRef(s) })),
  );
  const usableRuns = grouped.groups.reduce(
    (n, g) => n + g.sides.reduce((m, s) => m + s.runs.length, 0),
    0,
  );
  return {
    schemaVersion: comparisonSchemaVersion,
    createdAt: (options.now ?? new Date()).toISOString(),
    options: opts,
    noiseFloor: noiseSource,
    outcome: decideOutcome({ pairs, slo, excludedRuns: grouped.excluded, usableRuns }),
    sides,
    pairs,
    slo,
    excludedRuns: grouped.excluded,
    notes,
  };
}

function groupRef(g: GroupRef): GroupRef {
  return {
    comparisonId: g.comparisonId,
    scenario: g.scenario,
    ...(g.preset === undefined ? {} : { preset: g.preset }),
  };
}

function sideRef(s: RunSide): SideRef {
  return { side: s.side, profile: s.profile, runIds: s.runs.map((r) => r.run.runId) };
}

/** The baseline (first side) against each other side. */
function pairsOf(g: RunGroup): [RunSide, RunSide][] {
  const [baseline, ...others] = g.sides;
  return baseline ? others.map((o) => [baseline, o] as [RunSide, RunSide]) : [];
}

/** Each metric of a side: definition from its first run, one value per run (the last if repeated). */
function seriesOf(side: RunSide): Map<string, MetricSeries> {
  const out = new Map<string, MetricSeries>();
  for (const { run } of side.runs) {
    const perRun = new Map<string, (typeof run.metrics)[number]>();
    for (const m of run.metrics) perRun.set(metricKey(m), m);
    for (const [key, metric] of perRun) {
      const series = out.get(key) ?? { key, metric, values: [] };
      series.values.push({ runId: run.runId, value: metric.value });
      out.set(key, series);
    }
  }
  return out;
}

function comparePair(
  g: RunGroup,
  a: RunSide,
  b: RunSide,
  calibration: boolean,
  opts: ComparisonOptions,
  floor: NoiseFloor | undefined,
): PairComparison {
  const sa = seriesOf(a);
  const sb = seriesOf(b);
  const keys = [...new Set([...sa.keys(), ...sb.keys()])];
  const metrics = keys.map((key) => {
    const def = (sa.get(key) ?? sb.get(key))!.metric;
    const noiseFloor = calibration ? undefined : findNoiseFloor(floor, g, key, def.unit);
    return compareMetric(sa.get(key), sb.get(key), {
      ...opts,
      identity: `${groupLabel(g)}/${a.side}/${b.side}`,
      ...(noiseFloor === undefined ? {} : { noiseFloor }),
    });
  });
  return {
    ...groupRef(g),
    calibration,
    baseline: sideRef(a),
    candidate: sideRef(b),
    verdict: combineVerdicts(metrics),
    metrics,
  };
}

/**
 * Every metric with an SLO, against every side. Gating: sides other than the baseline that run a
 * different profile, and the only side of a scenario that ran one profile.
 */
function sloChecks(g: RunGroup): SloCheck[] {
  const baseline = g.sides[0];
  const checks: SloCheck[] = [];
  for (const side of g.sides) {
    const gating =
      g.sides.length === 1 ||
      (side !== baseline && side.profile.digest !== baseline?.profile.digest);
    for (const series of seriesOf(side).values()) {
      const objective = series.metric.slo;
      if (!objective) continue;
      const result = checkSlo(objective, series.values);
      checks.push({
        ...groupRef(g),
        side: side.side,
        profile: side.profile.name,
        metric: series.key,
        unit: series.metric.unit,
        objective,
        median: result.median,
        passed: result.passed,
        gating,
        runs: result.runs,
      });
    }
  }
  return checks;
}
