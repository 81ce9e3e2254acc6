import { HistogramRecorder } from '../../harness/measure/histogram.ts';
import type { TimelineEventInput } from '../../harness/scenario/records.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import {
  type ClientRequest,
  type ClientSummary,
  clientWindows,
  errorCount,
  reportedStatuses,
  statusCount,
  windowOf,
} from './client-windows.ts';
import { type MilestoneName, secondsTo, type UnreachableTimeline } from './timeline.ts';

/** Cluster reactions as metrics: seconds after the fault (lower is better for all). */
const reactionMetrics: [MilestoneName, string, string][] = [
  ['node not ready', 'unreachable.time_to_not_ready', 'fault -> node Ready=Unknown'],
  ['taint NoExecute', 'unreachable.time_to_taint', 'fault -> unreachable NoExecute taint'],
  [
    'endpoints dropped',
    'unreachable.time_to_endpoints_drop',
    "fault -> node's pods out of the Service",
  ],
  ['first eviction', 'unreachable.time_to_first_eviction', 'fault -> first pod evicted'],
  ['last eviction', 'unreachable.time_to_last_eviction', 'fault -> last pod evicted'],
  ['replacements ready', 'unreachable.time_to_replacements_ready', 'fault -> replacements Ready'],
];

/** Seconds between two milestones: each controller's own delay, whatever came before it. */
const reactionIntervals: [MilestoneName, MilestoneName, string, string][] = [
  [
    'last heartbeat',
    'node not ready',
    'unreachable.not_ready_after_last_heartbeat',
    "node's last heartbeat (lease renewal or status update) -> Ready=Unknown (node-monitor-grace-period + up to node-monitor-period)",
  ],
  [
    'taint NoExecute',
    'first eviction',
    'unreachable.eviction_after_taint',
    "NoExecute taint -> first eviction (the pods' unreachable toleration)",
  ],
];

const recoveryMilestones: readonly MilestoneName[] = ['node ready again', 'endpoints restored'];

export function writeTimeline(
  writer: RunRecorder,
  t: UnreachableTimeline,
  at: { node: string; faultMs: number; healMs?: number },
): void {
  for (const m of t.milestones) {
    const kind: TimelineEventInput['kind'] = recoveryMilestones.includes(m.name)
      ? 'recovery'
      : 'cluster';
    writer.event({
      kind,
      name: m.name,
      at: new Date(m.atMs),
      detail: {
        node: at.node,
        source: m.source,
        secondsAfterFault: (m.atMs - at.faultMs) / 1000,
        ...m.detail,
      },
    });
  }
  for (const [milestone, name, description] of reactionMetrics) {
    const s = secondsTo(t, milestone, at.faultMs);
    if (s !== undefined)
      writer.metric({ name, unit: 's', direction: 'lower', value: s, description });
  }
  for (const [from, to, name, description] of reactionIntervals) {
    const start = secondsTo(t, from, 0);
    const end = secondsTo(t, to, 0);
    if (start !== undefined && end !== undefined)
      writer.metric({
        name,
        unit: 's',
        direction: 'lower',
        value: Math.round((end - start) * 1000) / 1000,
        description,
      });
  }
  if (at.healMs !== undefined) {
    const ready = secondsTo(t, 'node ready again', at.healMs);
    if (ready !== undefined)
      writer.metric({
        name: 'unreachable.time_to_node_ready_after_heal',
        unit: 's',
        direction: 'lower',
        value: ready,
        description: 'heal -> node Ready again',
      });
  }
  writer.metric({
    name: 'unreachable.evicted_pods',
    unit: 'count',
    // evicting the lost node's pods is the reaction being timed, not a harm: how many go
    // within the window depends on the profile's tolerations (context for the timings)
    direction: 'none',
    value: t.evicted.length,
    description: `of ${t.podsOnNode.length} canary pods on the node`,
  });
}

export function writeClient(
  writer: RunRecorder,
  requests: readonly ClientRequest[],
  s: ClientSummary,
  at: { faultMs: number; healMs?: number },
): void {
  for (const [second, byStatus] of [...s.perSecond].sort(([a], [b]) => a - b))
    for (const [status, n] of byStatus)
      writer.sample('client.requests', n, { status }, new Date(second));
  for (const window of clientWindows) {
    const counts = s.counts[window];
    for (const status of [...reportedStatuses, 'other'])
      writer.metric({
        name: 'client.responses',
        labels: { window, status },
        unit: 'count',
        direction: 'lower',
        value: statusCount(counts, status),
      });
    writer.metric({
      name: 'client.errors',
      labels: { window },
      unit: 'count',
      direction: 'lower',
      value: errorCount(counts),
    });
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    writer.metric({
      name: 'client.requests',
      labels: { window },
      unit: 'count',
      direction: 'none',
      value: total,
    });
    if (total)
      writer.metric({
        name: 'client.success_ratio',
        labels: { window },
        unit: 'ratio',
        direction: 'higher',
        value: (counts.get('2xx') ?? 0) / total,
      });
  }
  writer.metric({
    name: 'client.error_seconds',
    unit: 's',
    direction: 'lower',
    value: s.errorSeconds,
    description: 'seconds in which at least one request failed',
  });
  if (s.lastErrorMs === undefined)
    writer.metric({ name: 'client.time_to_recovery', unit: 's', direction: 'lower', value: 0 });
  else if (s.recoveredMs !== undefined)
    writer.metric({
      name: 'client.time_to_recovery',
      unit: 's',
      direction: 'lower',
      value: (s.recoveredMs - at.faultMs) / 1000,
      description: 'fault -> the end of the last second with a failed request',
    });
  for (const window of clientWindows) {
    const h = new HistogramRecorder();
    for (const r of requests) {
      if (window === 'all' || windowOf(r, at) === window) h.record(r.durationMs);
    }
    if (h.count) writer.distribution(h.toDistribution('client.latency', 'ms', { window }));
  }
}
