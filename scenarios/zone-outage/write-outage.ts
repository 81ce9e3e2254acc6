import type { SimulatedNodesFacts } from '../../clusters/kwok/index.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import { log } from '../../harness/util/log.ts';
import { appliedTaintRate, type OutageTimeline, podsLeftOnDeadNodes } from './outage-timeline.ts';
import type { ZoneOutageParameters } from './parameters.ts';
import type { ZoneStateChange } from './zone-state.ts';

export interface OutageSummary {
  /** Taints per second the node controller applied while the zone was Normal (backlogged). */
  normalRate?: number;
  normalIntervals: number;
  /** Taints per second while the zone was PartialDisruption (taints in the window / its length). */
  partialRate?: number;
  partialTaints: number;
  partialSeconds: number;
  /** When the zone first left Normal, ms since the epoch. */
  partialFromMs?: number;
}

/** Splits the outage at the zone's state changes (the controller's own log) and rates each part. */
export function summariseOutage(
  timeline: OutageTimeline,
  zoneStates: readonly ZoneStateChange[],
  zone: string,
  healMs: number,
): OutageSummary {
  const mine = zoneStates.filter((z) => z.zone === zone || z.zone === '*');
  const partial = mine.find((z) => z.state === 'PartialDisruption');
  const partialEnd = partial
    ? (mine.find((z) => z.atMs > partial.atMs && z.state !== 'PartialDisruption')?.atMs ?? healMs)
    : undefined;
  const normal = appliedTaintRate(timeline.taints, Number.NEGATIVE_INFINITY, partial?.atMs);
  const out: OutageSummary = {
    normalRate: normal.rate,
    normalIntervals: normal.intervals,
    partialTaints: 0,
    partialSeconds: 0,
  };
  if (partial && partialEnd !== undefined) {
    out.partialFromMs = partial.atMs;
    out.partialSeconds = (partialEnd - partial.atMs) / 1000;
    out.partialTaints = timeline.taints.filter(
      (t) => t.taintMs > partial.atMs && t.taintMs <= partialEnd,
    ).length;
    out.partialRate = out.partialSeconds > 0 ? out.partialTaints / out.partialSeconds : undefined;
  }
  return out;
}

const sec = (fromMs: number, atMs: number | undefined) =>
  atMs === undefined ? undefined : (atMs - fromMs) / 1000;

export function writeOutage(
  writer: RunRecorder,
  r: {
    params: ZoneOutageParameters;
    profileValue: (key: string) => unknown;
    timeline: OutageTimeline;
    zoneStates: ZoneStateChange[];
    zoneSize: number;
    faultMs: number;
    healMs: number;
    simulator: {
      facts: SimulatedNodesFacts;
      cpuSeconds?: number;
      peakRssBytes?: number;
      windowSeconds: number;
    };
  },
): OutageSummary {
  const { timeline: t, faultMs } = r;
  const rates = {
    nodeEvictionRate: Number(r.profileValue('node-eviction-rate')),
    secondaryRate: Number(r.profileValue('secondary-node-eviction-rate')),
    unhealthyZoneThreshold: Number(r.profileValue('unhealthy-zone-threshold')),
    largeClusterSizeThreshold: Number(r.profileValue('large-cluster-size-threshold')),
  };
  const summary = summariseOutage(t, r.zoneStates, r.params.zone, r.healMs);
  // no zone label: the zone is a parameter of the run, and verdict keys must not depend on it
  const labels = {};
  const m = (
    name: string,
    value: number | undefined,
    unit: 'ms' | 's' | 'count' | 'per_s' | 'bytes' | 'percent',
    direction: 'lower' | 'higher' | 'none',
    description: string,
  ) => {
    if (value !== undefined && Number.isFinite(value))
      writer.metric({ name, labels, unit, direction, value, description });
  };
  const notReady = t.nodes.map((n) => n.notReadyMs).filter((x): x is number => x !== undefined);
  const evicted = t.pods.map((p) => p.evictedMs).filter((x): x is number => x !== undefined);
  m('zone_outage.failed_nodes', t.nodes.length, 'count', 'none', 'simulated nodes that stopped');
  m('zone_outage.zone_nodes', r.zoneSize, 'count', 'none', 'simulated nodes in the zone');
  m('zone_outage.not_ready_nodes', notReady.length, 'count', 'none', 'failed nodes seen NotReady');
  m(
    'zone_outage.first_not_ready_seconds',
    sec(faultMs, Math.min(...notReady)),
    's',
    'lower',
    'fault to the first NotReady',
  );
  m(
    'zone_outage.last_not_ready_seconds',
    sec(faultMs, Math.max(...notReady)),
    's',
    'lower',
    'fault to the last NotReady',
  );
  m(
    'zone_outage.tainted_nodes',
    t.taints.length,
    'count',
    'none',
    'failed nodes given a NoExecute taint',
  );
  m(
    'zone_outage.first_taint_seconds',
    sec(faultMs, t.taints[0]?.taintMs),
    's',
    'lower',
    'fault to the first NoExecute taint',
  );
  m(
    'zone_outage.last_taint_seconds',
    t.taints.length === t.nodes.length ? sec(faultMs, t.taints.at(-1)?.taintMs) : undefined,
    's',
    'lower',
    'fault to the last NoExecute taint (every failed node tainted)',
  );
  m(
    'zone_outage.taint_rate',
    summary.normalRate,
    'per_s',
    'none',
    'taints per second applied while the zone was Normal and nodes were waiting',
  );
  m(
    'zone_outage.taint_rate_partial',
    summary.partialRate,
    'per_s',
    'none',
    'taints per second while the zone was PartialDisruption',
  );
  m(
    'zone_outage.partial_disruption_seconds',
    summary.partialSeconds,
    's',
    'none',
    'time the zone spent in PartialDisruption',
  );
  m(
    'zone_outage.configured_eviction_rate',
    rates.nodeEvictionRate,
    'per_s',
    'none',
    "the profile's node-eviction-rate",
  );
  m(
    'zone_outage.configured_secondary_rate',
    rates.secondaryRate,
    'per_s',
    'none',
    "the profile's secondary-node-eviction-rate",
  );
  m(
    'zone_outage.pods_on_failed_nodes',
    t.pods.length,
    'count',
    'none',
    'workload pods on the failed nodes at the fault',
  );
  m(
    'zone_outage.evicted_pods',
    evicted.length,
    'count',
    'none',
    'of those, evicted (DELETE by the taint manager)',
  );
  // the milestone is reached only when every pod of the failed nodes was evicted; otherwise the
  // run is censored at the outage's end (primary-metrics.ts), not given its latest eviction
  m(
    'zone_outage.last_eviction_seconds',
    t.pods.length > 0 && evicted.length === t.pods.length
      ? sec(faultMs, Math.max(...evicted))
      : undefined,
    's',
    'lower',
    'fault to the last pod eviction (every pod of the failed nodes evicted)',
  );
  m(
    'zone_outage.outage_seconds',
    sec(faultMs, r.healMs),
    's',
    'none',
    'fault to heal: the window an eviction milestone is censored at',
  );
  const left = podsLeftOnDeadNodes(t.pods, faultMs, r.healMs);
  for (const p of left) writer.sample('zone_outage.pods_left', p.left, labels, new Date(p.atMs));
  m(
    'zone_outage.pods_left_at_heal',
    left.at(-1)?.left,
    'count',
    'lower',
    'pods still bound to failed nodes when the outage ended',
  );
  const s = r.simulator;
  m('simulator.nodes', s.facts.count, 'count', 'none', 'simulated nodes');
  m(
    'simulator.ready_seconds',
    s.facts.readySeconds,
    's',
    'none',
    'simulated nodes create to Ready',
  );
  if (s.cpuSeconds !== undefined)
    m(
      'simulator.cpu_percent',
      (100 * s.cpuSeconds) / s.windowSeconds,
      'percent',
      'none',
      "kwok's CPU during the outage (100 = one core)",
    );
  m('simulator.peak_rss_bytes', s.peakRssBytes, 'bytes', 'none', "kwok's peak resident memory");

  for (const z of r.zoneStates)
    writer.event({
      kind: 'note',
      name: `zone ${z.zone}: ${z.state}`,
      at: new Date(z.atMs),
      detail: { ...z },
    });
  writer.artifact(
    'outage/timeline.json',
    JSON.stringify(
      {
        faultMs,
        healMs: r.healMs,
        rates,
        summary,
        zoneStates: r.zoneStates,
        ...t,
        stages: s.facts.stages,
      },
      null,
      2,
    ),
  );
  writer.artifact('outage/timeline.txt', renderTimeline(t, r.zoneStates, faultMs, r.healMs));
  log.info(
    `${t.taints.length}/${t.nodes.length} tainted; applied rate ${summary.normalRate?.toFixed(3) ?? '-'}/s (node-eviction-rate ${rates.nodeEvictionRate}/s)${summary.partialFromMs ? `; PartialDisruption for ${summary.partialSeconds.toFixed(0)}s with ${summary.partialTaints} taints (secondary ${rates.secondaryRate}/s)` : ''}; ${evicted.length}/${t.pods.length} pods evicted`,
  );
  return summary;
}

/** One line per event, seconds after the fault: what the closing note and a reader want. */
export function renderTimeline(
  t: OutageTimeline,
  zoneStates: readonly ZoneStateChange[],
  faultMs: number,
  healMs: number,
): string {
  const rows: { atMs: number; text: string }[] = [
    { atMs: faultMs, text: `fault: ${t.nodes.length} nodes stop renewing` },
    { atMs: healMs, text: 'heal: heartbeats restart' },
    ...t.nodes.flatMap((n) => [
      ...(n.notReadyMs !== undefined ? [{ atMs: n.notReadyMs, text: `${n.node} NotReady` }] : []),
      ...(n.taintMs !== undefined
        ? [{ atMs: n.taintMs, text: `${n.node} tainted NoExecute` }]
        : []),
    ]),
    ...t.pods
      .filter((p) => p.evictedMs !== undefined)
      .map((p) => ({ atMs: p.evictedMs!, text: `pod ${p.pod} (${p.node}) evicted` })),
    ...zoneStates.map((z) => ({ atMs: z.atMs, text: `zone ${z.zone} -> ${z.state}` })),
  ];
  return rows
    .sort((a, b) => a.atMs - b.atMs)
    .map((r) => `${((r.atMs - faultMs) / 1000).toFixed(1).padStart(7)}s  ${r.text}`)
    .join('\n');
}
