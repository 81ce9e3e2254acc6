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
  summariseClient,
  windowOf,
} from './client-windows.ts';
import { type ProxyRequest, proxyStatusClass, tryFailure } from './nginx-log.ts';
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
  writeLatencyPerSecond(writer, 'client.latency_ms', requests);
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

/** Per-second median and maximum latency (ms) of the requests sent in each second. */
export function writeLatencyPerSecond(
  writer: RunRecorder,
  series: string,
  requests: readonly { startMs: number; durationMs: number }[],
): void {
  const bySecond = new Map<number, number[]>();
  for (const r of requests) {
    const second = Math.floor(r.startMs / 1000) * 1000;
    const list = bySecond.get(second) ?? [];
    list.push(r.durationMs);
    bySecond.set(second, list);
  }
  for (const [second, list] of [...bySecond].sort(([a], [b]) => a - b)) {
    list.sort((a, b) => a - b);
    const at = new Date(second);
    writer.sample(series, list[Math.floor((list.length - 1) / 2)]!, { stat: 'p50' }, at);
    writer.sample(series, list[list.length - 1]!, { stat: 'max' }, at);
  }
}

/** Statuses of the proxy's own view reported one by one; `other` is every other error. */
export const proxyReportedStatuses = ['502', '503', '504', '5xx', 'client_closed'] as const;

/**
 * The proxy's own view (nginx's access log), beside the client's: per-second answers by status
 * and failed upstream tries by kind, per-window counts, how many requests needed another try,
 * latency and connect-time distributions. Per-second counts are by the second nginx received
 * the request, as the client's are by the second it was sent.
 */
export function writeProxy(
  writer: RunRecorder,
  requests: readonly ProxyRequest[],
  at: { faultMs: number; healMs?: number },
): void {
  const asClient = requests.map((r) => ({
    startMs: r.startMs,
    durationMs: r.durationMs,
    status: proxyStatusClass(r.status),
  }));
  const s = summariseClient(asClient, at);
  for (const [second, byStatus] of [...s.perSecond].sort(([a], [b]) => a - b))
    for (const [status, n] of byStatus)
      writer.sample('proxy.requests', n, { status }, new Date(second));
  writeLatencyPerSecond(writer, 'proxy.latency_ms', requests);
  const failuresPerSecond = new Map<number, Map<string, number>>();
  for (const r of requests)
    for (const t of r.tries) {
      const kind = tryFailure(t);
      if (!kind) continue;
      const second = Math.floor(r.startMs / 1000) * 1000;
      const m = failuresPerSecond.get(second) ?? new Map<string, number>();
      m.set(kind, (m.get(kind) ?? 0) + 1);
      failuresPerSecond.set(second, m);
    }
  for (const [second, byKind] of [...failuresPerSecond].sort(([a], [b]) => a - b))
    for (const [kind, n] of byKind)
      writer.sample('proxy.upstream_failures', n, { kind }, new Date(second));

  for (const window of clientWindows) {
    const counts = s.counts[window];
    let listed = 0;
    for (const status of proxyReportedStatuses) {
      const n = counts.get(status) ?? 0;
      listed += n;
      writer.metric({
        name: 'proxy.responses',
        labels: { window, status },
        unit: 'count',
        direction: 'lower',
        value: n,
        description: 'answers nginx logged',
      });
    }
    writer.metric({
      name: 'proxy.responses',
      labels: { window, status: 'other' },
      unit: 'count',
      direction: 'lower',
      value: errorCount(counts) - listed,
    });
    const inWindow = requests.filter((r) => window === 'all' || windowOf(r, at) === window);
    writer.metric({
      name: 'proxy.requests',
      labels: { window },
      unit: 'count',
      direction: 'none',
      value: inWindow.length,
      description: 'requests of the load nginx logged',
    });
    writer.metric({
      name: 'proxy.retried_requests',
      labels: { window },
      unit: 'count',
      direction: 'none',
      value: inWindow.filter((r) => r.tries.length > 1).length,
      description: 'requests nginx sent to more than one upstream (proxy_next_upstream)',
    });
    for (const kind of ['error', 'timeout'] as const)
      writer.metric({
        name: 'proxy.upstream_failures',
        labels: { window, kind },
        unit: 'count',
        direction: 'lower',
        value: inWindow.flatMap((r) => r.tries).filter((t) => tryFailure(t) === kind).length,
        description:
          'failed upstream tries: error (refused, reset, unreachable) or timeout (connect or read)',
      });
    const latency = new HistogramRecorder();
    const connect = new HistogramRecorder();
    for (const r of inWindow) {
      latency.record(r.durationMs);
      for (const t of r.tries)
        if (t.connectSeconds !== undefined) connect.record(t.connectSeconds * 1000);
    }
    if (latency.count)
      writer.distribution(latency.toDistribution('proxy.latency', 'ms', { window }));
    if (connect.count)
      writer.distribution(connect.toDistribution('proxy.upstream_connect_time', 'ms', { window }));
  }
}
