import { metricKey } from '../results/schema.ts';
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
import { judgePair } from './judge-pair.ts';
import type { LoadedRun, UnreadableRun } from './load-runs.ts';
import { findNoiseFloor, type NoiseFloor, noiseFloorFrom } from './noise-floor.ts';
import { decideOutcome } from './outcome.ts';
import type { ScenarioVerdicts } from './primary-metric.ts';
import { checkSlo } from './slo-check.ts';
import { markEnvironmentFindings } from './slo-environment.ts';

export const comparisonDefaults: ComparisonOptions = {
  alpha: 0.05,
  confidence: 0.95,
  margins: {},
};

export interface CompareRunsOptions extends Partial<ComparisonOptions> {
  /** Side or profile name of the baseline (see groupRuns). */
  baseline?: string;
  /**
   * A noise floor from an earlier calibration, shown beside each metric (verdicts use margins).
   * Without one, calibration (A/A) pairs among the runs themselves provide it.
   */
  noiseFloor?: NoiseFloor;
  /** Where `noiseFloor` was read from, recorded in the comparison. */
  noiseFloorPath?: string;
  unreadable?: readonly UnreadableRun[];
  /** Each scenario's primary metrics and censored milestones (scenarios/<name>/primary-metrics.ts). */
  verdictsOf?: (scenario: string) => ScenarioVerdicts | undefined;
  /** How the runs were made (interleaving, seed, sequential looks), recorded as given. */
  design?: Comparison['design'];
  now?: Date;
}

/**
 * Compares runs: per scenario the baseline side against every other side. Per metric the
 * Hodges-Lehmann shift with its exact interval and an exact rank test (Gehan's for censored
 * milestones); the scenario's primary metrics judged against their margins with Holm's
 * correction, the others informational with Benjamini-Hochberg (judge-pair.ts); every SLO
 * checked. Invalid, failed and unfinished runs are left out and listed.
 */
export function compareRuns(
  runs: readonly LoadedRun[],
  options: CompareRunsOptions = {},
): Comparison {
  const opts: ComparisonOptions = {
    alpha: options.alpha ?? comparisonDefaults.alpha,
    confidence: options.confidence ?? comparisonDefaults.confidence,
    ...(options.lookAlpha === undefined ? {} : { lookAlpha: options.lookAlpha }),
    margins: options.margins ?? {},
  };
  const grouped = groupRuns(runs, {
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.unreadable === undefined ? {} : { unreadable: options.unreadable }),
  });
  const notes = [...grouped.notes];
  const verdictsOf = options.verdictsOf ?? (() => undefined);

  const calibrations = grouped.groups.flatMap((g) =>
    pairsOf(g)
      .filter(([a, b]) => a.profile.digest === b.profile.digest)
      .map(([a, b]) => comparePair(g, a, b, true, opts, undefined, verdictsOf(g.scenario))),
  );
  const floor = options.noiseFloor ?? noiseFloorFrom(calibrations, options.now);
  const noiseSource: Comparison['noiseFloor'] = options.noiseFloor
    ? { source: 'file', ...(options.noiseFloorPath ? { path: options.noiseFloorPath } : {}) }
    : floor
      ? { source: 'calibration' }
      : { source: 'none' };

  const pairs: PairComparison[] = [];
  for (const g of grouped.groups) {
    const spec = verdictsOf(g.scenario);
    for (const [a, b] of pairsOf(g)) {
      const calibration = a.profile.digest === b.profile.digest;
      if (calibration) {
        const done = calibrations.find((c) => sameGroup(c, g) && c.candidate.side === b.side);
        if (done) pairs.push(done);
      } else {
        pairs.push(comparePair(g, a, b, false, opts, floor, spec));
      }
    }
    for (const p of spec?.primaries ?? []) {
      const seen = g.sides.some((s) =>
        s.runs.some((r) => r.run.metrics.some((m) => metricKey(m) === p.metric)),
      );
      if (!seen && g.sides.length > 1)
        notes.push(`${groupLabel(g)}: primary metric ${p.metric} was observed in no run`);
    }
  }

  const strictSlo = options.design?.strictSlo ?? false;
  const slo = markEnvironmentFindings(grouped.groups.flatMap((g) => sloChecks(g)));
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
    outcome: decideOutcome({ pairs, slo, excludedRuns: grouped.excluded, usableRuns, strictSlo }),
    sides,
    pairs,
    slo,
    excludedRuns: grouped.excluded,
    ...(options.design ? { design: options.design } : {}),
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

/**
 * Each metric of a side: definition from its first run, one value per run (the last if
 * repeated). A declared censored milestone missing from a run that has its window metric is
 * that run's value censored at the window's end: "not reached within the window" is data.
 */
function seriesOf(side: RunSide, spec?: ScenarioVerdicts): Map<string, MetricSeries> {
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
  for (const c of spec?.censored ?? []) {
    const windowOf = (run: LoadedRun['run']) =>
      run.metrics.find((m) => metricKey(m) === c.windowMetric);
    // the definition comes from any run of either side that reached it; without one there is
    // nothing to compare yet (added by the caller once the other side is seen)
    for (const { run } of side.runs) {
      if (run.metrics.some((m) => metricKey(m) === c.metric)) continue;
      const window = windowOf(run);
      const series = out.get(c.metric);
      if (!window || !series) continue;
      series.values.push({ runId: run.runId, value: window.value, censored: true });
    }
  }
  return out;
}

/** Censored runs of a side whose every run missed the milestone: a series built from the other side's definition. */
function censoredOnly(
  side: RunSide,
  key: string,
  def: MetricSeries['metric'],
  spec?: ScenarioVerdicts,
): MetricSeries | undefined {
  const c = spec?.censored?.find((x) => x.metric === key);
  if (!c) return undefined;
  const values: MetricSeries['values'] = [];
  for (const { run } of side.runs) {
    const window = run.metrics.find((m) => metricKey(m) === c.windowMetric);
    if (window) values.push({ runId: run.runId, value: window.value, censored: true });
  }
  return values.length ? { key, metric: def, values } : undefined;
}

function comparePair(
  g: RunGroup,
  a: RunSide,
  b: RunSide,
  calibration: boolean,
  opts: ComparisonOptions,
  floor: NoiseFloor | undefined,
  spec: ScenarioVerdicts | undefined,
): PairComparison {
  const sa = seriesOf(a, spec);
  const sb = seriesOf(b, spec);
  const keys = [...new Set([...sa.keys(), ...sb.keys()])];
  const stats = keys.map((key) => {
    const def = (sa.get(key) ?? sb.get(key))!.metric;
    const sideA = sa.get(key) ?? censoredOnly(a, key, def, spec);
    const sideB = sb.get(key) ?? censoredOnly(b, key, def, spec);
    const s = compareMetric(sideA, sideB, opts.confidence);
    const noiseFloor = calibration ? undefined : findNoiseFloor(floor, g, key, def.unit);
    if (noiseFloor !== undefined) s.comparison.noiseFloor = noiseFloor;
    return s;
  });
  const judged = judgePair(stats, spec?.primaries, {
    alpha: opts.alpha,
    level: opts.lookAlpha ?? opts.alpha,
    confidence: opts.confidence,
    margins: opts.margins,
  });
  return {
    ...groupRef(g),
    calibration,
    baseline: sideRef(a),
    candidate: sideRef(b),
    verdict: judged.verdict,
    metrics: judged.metrics,
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
        environment: false,
        runs: result.runs,
      });
    }
  }
  return checks;
}
