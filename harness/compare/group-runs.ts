import type { RunResult } from '../results/schema.ts';
import type { ExcludedRun, GroupRef } from './comparison.ts';
import type { LoadedRun, UnreadableRun } from './load-runs.ts';

/** comparisonId given to runs made outside a plan (`tuneproof run`). */
export const unplannedComparisonId = 'unplanned';

export interface RunSide {
  side: string;
  profile: { name: string; digest: string };
  runs: LoadedRun[];
}

export interface RunGroup extends GroupRef {
  /** Baseline first, then the other sides by name. */
  sides: RunSide[];
}

export interface GroupedRuns {
  groups: RunGroup[];
  excluded: ExcludedRun[];
  notes: string[];
}

/** Why a run cannot be used in statistics; empty when it can. */
export function exclusionReasons(run: RunResult): string[] {
  const reasons: string[] = [];
  if (run.status !== 'complete') {
    reasons.push(`run ${run.status}${run.error ? `: ${run.error}` : ''}`);
  }
  if (run.partial) reasons.push('never finished: rebuilt from what it wrote before it stopped');
  reasons.push(...run.invalid);
  return reasons;
}

/** Same comparison, scenario and preset. */
export function sameGroup(x: GroupRef, y: GroupRef): boolean {
  return x.comparisonId === y.comparisonId && x.scenario === y.scenario && x.preset === y.preset;
}

export function groupLabel(g: GroupRef): string {
  return g.preset ? `${g.scenario} [${g.preset}]` : g.scenario;
}

const runOrder = (x: LoadedRun, y: LoadedRun) =>
  (x.run.plan?.repetition ?? 0) - (y.run.plan?.repetition ?? 0) ||
  x.run.startedAt.localeCompare(y.run.startedAt) ||
  x.run.runId.localeCompare(y.run.runId);

/**
 * Sorts usable runs into groups (comparison, scenario, preset) and sides, and lists the others
 * with their reasons. A run's side comes from its plan; runs made outside a plan take their
 * profile name as side. The baseline side is `baseline` (a side or profile name) if given, else
 * side 'A', else profile 'default', else the side that started first.
 */
export function groupRuns(
  runs: readonly LoadedRun[],
  options: { baseline?: string; unreadable?: readonly UnreadableRun[] } = {},
): GroupedRuns {
  const excluded: ExcludedRun[] = (options.unreadable ?? []).map((u) => ({
    runId: u.runId,
    dir: u.relDir,
    reasons: [`unreadable: ${u.error}`],
  }));
  const notes: string[] = [];
  const byGroup = new Map<string, { ref: GroupRef; sides: Map<string, LoadedRun[]> }>();
  for (const loaded of runs) {
    const { run } = loaded;
    const side = run.plan?.side ?? run.profile.name;
    const reasons = exclusionReasons(run);
    if (reasons.length > 0) {
      excluded.push({
        runId: run.runId,
        dir: loaded.relDir,
        profile: run.profile.name,
        scenario: run.scenario.name,
        side,
        reasons,
      });
      continue;
    }
    const ref: GroupRef = {
      comparisonId: run.plan?.comparisonId ?? unplannedComparisonId,
      scenario: run.scenario.name,
      ...(run.scenario.preset === undefined ? {} : { preset: run.scenario.preset }),
    };
    const key = JSON.stringify([ref.comparisonId, ref.scenario, ref.preset ?? null]);
    let group = byGroup.get(key);
    if (!group) {
      group = { ref, sides: new Map() };
      byGroup.set(key, group);
    }
    const list = group.sides.get(side) ?? [];
    list.push(loaded);
    group.sides.set(side, list);
  }

  const groups: RunGroup[] = [];
  for (const { ref, sides } of byGroup.values()) {
    const list: RunSide[] = [...sides.entries()].map(([side, sideRuns]) => {
      sideRuns.sort(runOrder);
      const first = sideRuns[0]!.run.profile;
      const digests = new Set(sideRuns.map((r) => r.run.profile.digest));
      if (digests.size > 1) {
        notes.push(
          `${groupLabel(ref)}: side ${side} mixes ${digests.size} different digests of profile ${first.name}`,
        );
      }
      return { side, profile: { name: first.name, digest: first.digest }, runs: sideRuns };
    });
    const baseline = pickBaseline(list, options.baseline);
    list.sort((x, y) => (x === baseline ? -1 : y === baseline ? 1 : x.side.localeCompare(y.side)));
    groups.push({ ...ref, sides: list });
  }
  groups.sort(
    (x, y) =>
      x.scenario.localeCompare(y.scenario) ||
      (x.preset ?? '').localeCompare(y.preset ?? '') ||
      x.comparisonId.localeCompare(y.comparisonId),
  );
  excluded.sort((x, y) => x.runId.localeCompare(y.runId));
  return { groups, excluded, notes };
}

function pickBaseline(sides: RunSide[], wanted: string | undefined): RunSide | undefined {
  if (wanted !== undefined) {
    const named =
      sides.find((s) => s.side === wanted) ?? sides.find((s) => s.profile.name === wanted);
    if (named) return named;
  }
  return (
    sides.find((s) => s.side === 'A') ??
    sides.find((s) => s.profile.name === 'default') ??
    [...sides].sort((x, y) => x.runs[0]!.run.startedAt.localeCompare(y.runs[0]!.run.startedAt))[0]
  );
}
