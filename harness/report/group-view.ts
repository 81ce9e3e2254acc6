import type { Comparison, GroupRef, GroupSide } from '../compare/comparison.ts';
import { sameGroup } from '../compare/group-runs.ts';
import { type Metric, metricKey } from '../results/schema.ts';
import type { ReportRun } from './report-data.ts';
import { sideColour, sideLabel } from './side-palette.ts';

export interface GroupView extends GroupRef {
  sides: (GroupSide & { label: string; colour: string; runs: ReportRun[] })[];
}

/** Scenario groups of a comparison, each side with its runs and colour. */
export function groupViews(comparison: Comparison, runs: readonly ReportRun[]): GroupView[] {
  const byId = new Map(runs.map((r) => [r.run.runId, r]));
  const views: GroupView[] = [];
  for (const s of comparison.sides) {
    let view = views.find((v) => sameGroup(v, s));
    if (!view) {
      view = {
        comparisonId: s.comparisonId,
        scenario: s.scenario,
        ...(s.preset === undefined ? {} : { preset: s.preset }),
        sides: [],
      };
      views.push(view);
    }
    view.sides.push({
      ...s,
      label: sideLabel(s.side, s.profile.name),
      colour: sideColour(view.sides.length),
      runs: s.runIds.map((id) => byId.get(id)).filter((r): r is ReportRun => r !== undefined),
    });
  }
  return views;
}

/** The id of the section of a group in the page. */
export const groupAnchor = (g: GroupRef): string =>
  `g-${`${g.comparisonId}-${g.scenario}-${g.preset ?? ''}`.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** Metric keys in first-seen order over every run of the group, with the first definition. */
export function metricsOf(g: GroupView): Map<string, Metric> {
  const out = new Map<string, Metric>();
  for (const s of g.sides)
    for (const r of s.runs)
      for (const m of r.run.metrics) if (!out.has(metricKey(m))) out.set(metricKey(m), m);
  return out;
}

/** One value per run that has the metric (the last one it reported). */
export function valuesOf(
  runs: readonly ReportRun[],
  key: string,
): { runId: string; value: number }[] {
  const out: { runId: string; value: number }[] = [];
  for (const r of runs) {
    const found = r.run.metrics.filter((m) => metricKey(m) === key).at(-1);
    if (found) out.push({ runId: r.run.runId, value: found.value });
  }
  return out;
}
