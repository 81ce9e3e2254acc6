import type { Comparison } from '../compare/comparison.ts';
import { formatSeconds } from '../util/log.ts';
import { escapeHtml as e } from './escape-html.ts';
import type { ReportRun } from './report-data.ts';
import { timelineChart } from './timeline-chart.ts';

/** The run's length: finish time, or the last event or sample of a run that never finished. */
export function runEndMs(r: ReportRun): number {
  const started = Date.parse(r.run.startedAt);
  const finished = r.run.finishedAt ? Date.parse(r.run.finishedAt) - started : 0;
  const lastEvent = Math.max(0, ...r.run.timeline.map((t) => t.tMs));
  const lastSample = r.samples.reduce((m, s) => Math.max(m, s.tMs), 0);
  return Math.max(finished, lastEvent, lastSample);
}

/** Timeline charts per report; every run still gets its event table. */
export const maxTimelineCharts = 24;

/**
 * The runs that get a timeline chart: round-robin over (comparison, scenario, side), so with many
 * runs every side of every scenario still shows its first runs.
 */
export function pickTimelineRuns(
  runs: readonly ReportRun[],
  limit = maxTimelineCharts,
): Set<ReportRun> {
  const buckets = new Map<string, ReportRun[]>();
  for (const r of runs) {
    const key = JSON.stringify([
      r.run.plan?.comparisonId,
      r.run.scenario.name,
      r.run.scenario.preset,
      r.run.plan?.side ?? r.run.profile.name,
    ]);
    const list = buckets.get(key);
    if (list) list.push(r);
    else buckets.set(key, [r]);
  }
  const picked = new Set<ReportRun>();
  for (let i = 0; picked.size < limit; i++) {
    const round = [...buckets.values()]
      .map((b) => b[i])
      .filter((r): r is ReportRun => r !== undefined);
    if (round.length === 0) break;
    for (const r of round.slice(0, limit - picked.size)) picked.add(r);
  }
  return picked;
}

/** Every run found: a table, then each run's timeline with its fault windows and events. */
export async function runsSection(
  runs: readonly ReportRun[],
  comparison: Comparison,
): Promise<string> {
  const excluded = new Map(comparison.excludedRuns.map((x) => [x.runId, x.reasons]));
  const rows = runs.map((r) => {
    const reasons = excluded.get(r.run.runId) ?? r.excludedBecause;
    const plan = r.run.plan;
    return `<tr class="${reasons.length ? 'excluded' : ''}"><td><a href="#run-${e(r.run.runId)}"><code>${e(r.run.runId)}</code></a></td>
<td>${e(r.run.scenario.name)}${r.run.scenario.preset ? ` <small>[${e(r.run.scenario.preset)}]</small>` : ''}</td>
<td>${e(r.run.profile.name)}</td><td>${plan ? `${e(plan.side)} #${plan.repetition}` : '–'}</td>
<td>${e(r.run.status)}${r.run.partial ? ' <small>(partial)</small>' : ''}</td>
<td class="num">${e(formatSeconds(runEndMs(r)))}</td><td><small>${e(r.run.startedAt)}</small></td>
<td>${reasons.length ? `<span class="slo-miss">excluded</span><span class="reason">${e(reasons.join('; '))}</span>` : 'used'}</td></tr>`;
  });
  const unreadable = comparison.excludedRuns.filter(
    (x) => !runs.some((r) => r.run.runId === x.runId),
  );
  const unreadableRows = unreadable.map(
    (x) =>
      `<tr class="excluded"><td><code>${e(x.runId)}</code></td><td colspan="6"><small>${e(x.dir)}</small></td><td><span class="slo-miss">excluded</span><span class="reason">${e(x.reasons.join('; '))}</span></td></tr>`,
  );
  const details: string[] = [];
  const charted = pickTimelineRuns(runs);
  for (const [i, r] of runs.entries()) {
    const { svg, omittedSeries } = charted.has(r)
      ? await timelineChart({
          title: `${r.run.runId} (${r.run.profile.name})`,
          events: r.run.timeline,
          samples: r.samples,
          runEndMs: runEndMs(r),
        })
      : { svg: '', omittedSeries: [] };
    const events = r.run.timeline
      .map(
        (t) =>
          `<tr class="${t.kind === 'fault' ? 'attention' : ''}"><td class="num">${(t.tMs / 1000).toFixed(1)} s</td><td>${e(t.kind)}</td><td>${e(t.edge)}</td><td>${e(t.name)}</td><td><small class="mono">${t.detail ? e(truncate(JSON.stringify(t.detail), 240)) : ''}</small></td></tr>`,
      )
      .join('\n');
    const facts = [
      r.run.cluster?.kubernetesVersion ? `Kubernetes ${r.run.cluster.kubernetesVersion}` : '',
      r.run.cluster ? `${r.run.cluster.provider}, ${r.run.cluster.nodes.length} nodes` : '',
      r.run.host ? `host ${r.run.host.cpus} CPUs, ${r.run.host.kernel}` : '',
      r.run.error ? `error: ${r.run.error}` : '',
    ].filter(Boolean);
    details.push(`<details class="run" id="run-${e(r.run.runId)}"${i === 0 ? ' open' : ''}>
<summary><code>${e(r.run.runId)}</code> — ${e(r.run.profile.name)}, ${e(r.run.scenario.name)}</summary>
${facts.length ? `<p class="muted">${e(facts.join(' · '))}</p>` : ''}
${svg ? `<figure class="chart timeline-chart">${svg}</figure>` : `<p class="muted">No chart for this run: the report draws at most ${maxTimelineCharts} timelines, spread over the sides.</p>`}
${omittedSeries.length ? `<p class="muted">Not drawn: ${e(omittedSeries.join(', '))}.</p>` : ''}
${events ? `<table class="events"><thead><tr><th>t</th><th>Kind</th><th>Edge</th><th>Event</th><th>Detail</th></tr></thead><tbody>${events}</tbody></table>` : '<p class="muted">No timeline events.</p>'}
</details>`);
  }
  return `<section id="runs"><h2>Runs</h2>
<table class="runs"><thead><tr><th>Run</th><th>Scenario</th><th>Profile</th><th>Side</th><th>Status</th><th>Length</th><th>Started</th><th>Used</th></tr></thead>
<tbody>${[...rows, ...unreadableRows].join('\n')}</tbody></table>
<h3>Timelines</h3><p class="muted">Fault windows shaded red; per-second series above, events below.</p>
${details.join('\n')}
</section>`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
