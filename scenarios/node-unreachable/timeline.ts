/**
 * The cluster's reaction to an unreachable node, assembled from what the watches recorded
 * (pure: the same changes give the same timeline, so it is unit-tested and re-run on saved
 * watches). Server timestamps are used where the API has them (condition transitions, taint
 * timeAdded, lease renewTime, pod deletion, events); they are whole seconds except the lease's
 * renewTime, so a milestone can read up to 1 s earlier than it happened. Changes the API stamps
 * nowhere (EndpointSlice contents, NoSchedule taints) use the time the watch delivered them.
 * kind nodes are containers on this host, so server and harness share one clock.
 */

export type WatchedResource = 'node' | 'pod' | 'endpointslice' | 'event' | 'lease';

export interface Change {
  resource: WatchedResource;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  observedMs: number;
  object: unknown;
}

export type MilestoneName =
  | 'last heartbeat'
  | 'node not ready'
  | 'taint NoSchedule'
  | 'taint NoExecute'
  | 'endpoints dropped'
  | 'first eviction'
  | 'last eviction'
  | 'replacements ready'
  | 'node ready again'
  | 'endpoints restored';

export interface Milestone {
  name: MilestoneName;
  atMs: number;
  /** Where the time comes from: an API server timestamp, or when the watch delivered the change. */
  source: 'server' | 'observed';
  detail?: Record<string, unknown>;
}

export interface TimelineInput {
  changes: readonly Change[];
  /** The faulted node. */
  node: string;
  /** Canary pods carry this label (`key=value`). */
  podSelector: string;
  /** Replicas the canary Deployment wants. */
  replicas: number;
  /** When the fault was in effect (host clock, ms). */
  faultMs: number;
  /** When the fault was healed, if it was. */
  healMs?: number;
}

export interface UnreachableTimeline {
  milestones: Milestone[];
  /** Canary pods that were on the node at the fault and were evicted from it, with their times. */
  evicted: { pod: string; atMs: number; source: 'server' | 'observed' }[];
  /** Canary pods created after the fault, with their Ready time if they got there. */
  replacements: { pod: string; node?: string; readyMs?: number }[];
  /** Canary pods on the node when the fault began. */
  podsOnNode: string[];
}

// --- the few fields of the API objects read here --------------------------------------------

interface Meta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
}
interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  lastTransitionTime?: string;
  lastHeartbeatTime?: string;
}
interface Taint {
  key?: string;
  effect?: string;
  timeAdded?: string;
}
interface NodeObject {
  metadata?: Meta;
  spec?: { taints?: Taint[] };
  status?: { conditions?: Condition[] };
}
interface PodObject {
  metadata?: Meta;
  spec?: { nodeName?: string };
  status?: { conditions?: Condition[] };
}
interface SliceObject {
  metadata?: Meta;
  endpoints?: {
    nodeName?: string;
    targetRef?: { name?: string };
    conditions?: { ready?: boolean };
  }[];
}
interface LeaseObject {
  metadata?: Meta;
  spec?: { renewTime?: string };
}
interface EventObject {
  metadata?: Meta;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  reason?: string;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
}

const ms = (t: string | null | undefined): number | undefined => {
  if (!t) return undefined;
  const v = Date.parse(t);
  return Number.isFinite(v) ? v : undefined;
};

/** Server timestamps are cut to whole seconds: compare against the fault's second, not its ms. */
const floorSecond = (t: number): number => Math.floor(t / 1000) * 1000;

function matches(labels: Record<string, string> | undefined, selector: string): boolean {
  const [k, v] = selector.split('=');
  return k !== undefined && labels?.[k] === v;
}

const readyCondition = (conds: Condition[] | undefined) => conds?.find((c) => c.type === 'Ready');

/** The unreachable taint (Ready=Unknown) or not-ready one (Ready=False) the node controller adds. */
const nodeTaintKeys = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];

export function assembleTimeline(input: TimelineInput): UnreachableTimeline {
  const { node, faultMs } = input;
  const faultSecond = floorSecond(faultMs);
  const healSecond = input.healMs === undefined ? undefined : floorSecond(input.healMs);
  const changes = [...input.changes].sort((a, b) => a.observedMs - b.observedMs);
  const milestones: Milestone[] = [];
  const add = (m: Milestone) => {
    if (!milestones.some((x) => x.name === m.name)) milestones.push(m);
  };

  // --- the node: Ready condition, taints, and its last heartbeat ------------------------------
  for (const c of changes) {
    if (c.resource !== 'node') continue;
    const n = c.object as NodeObject;
    if (n.metadata?.name !== node) continue;
    const ready = readyCondition(n.status?.conditions);
    const since = ms(ready?.lastTransitionTime);
    if (ready && ready.status !== 'True' && since !== undefined && since >= faultSecond)
      add({
        name: 'node not ready',
        atMs: since,
        source: 'server',
        detail: { status: ready.status, reason: ready.reason },
      });
    for (const t of n.spec?.taints ?? []) {
      if (!nodeTaintKeys.includes(t.key ?? '')) continue;
      const name = t.effect === 'NoExecute' ? 'taint NoExecute' : 'taint NoSchedule';
      if (milestones.some((m) => m.name === name)) continue;
      const added = ms(t.timeAdded);
      // NoSchedule taints carry no timeAdded; the watch's delivery time stands in for it
      if (added !== undefined && added >= faultSecond)
        add({ name, atMs: added, source: 'server', detail: { key: t.key } });
      else if (added === undefined && c.observedMs >= faultMs)
        add({ name, atMs: c.observedMs, source: 'observed', detail: { key: t.key } });
    }
    if (healSecond !== undefined && ready?.status === 'True' && since !== undefined) {
      if (since >= healSecond) add({ name: 'node ready again', atMs: since, source: 'server' });
    }
  }

  // The node's last heartbeat before it went NotReady (or before the heal, or so far), from
  // which the grace period runs. The node controller takes either kind: a Lease renewal (every
  // nodeLeaseDuration / 4) or a node status update carrying a new Ready lastHeartbeatTime (every
  // nodeStatusReportFrequency, and whenever the status changed). Either may land just after the
  // fault began: one in flight while the fault was being injected still counts.
  const notReadyMs = milestones.find((m) => m.name === 'node not ready')?.atMs;
  const silentUntil = notReadyMs ?? input.healMs ?? Number.POSITIVE_INFINITY;
  let last: Milestone | undefined;
  const heard = (m: Milestone) => {
    if (m.atMs < silentUntil && (last === undefined || m.atMs > last.atMs)) last = m;
  };
  let seenStatusBeat: string | undefined;
  for (const c of changes) {
    if (c.resource === 'lease') {
      const lease = c.object as LeaseObject;
      const renew = lease.metadata?.name === node ? ms(lease.spec?.renewTime) : undefined;
      if (renew !== undefined)
        heard({ name: 'last heartbeat', atMs: renew, source: 'server', detail: { via: 'lease' } });
    } else if (c.resource === 'node') {
      const n = c.object as NodeObject;
      if (n.metadata?.name !== node) continue;
      const beat = readyCondition(n.status?.conditions)?.lastHeartbeatTime;
      const beatMs = ms(beat);
      if (beatMs === undefined || beat === seenStatusBeat) continue;
      seenStatusBeat = beat;
      // lastHeartbeatTime is the kubelet's whole second; the update reached the server before
      // the watch delivered it, so the earlier of the two is the best bound
      heard({
        name: 'last heartbeat',
        atMs: Math.min(c.observedMs, beatMs + 999),
        source: c.observedMs < beatMs + 999 ? 'observed' : 'server',
        detail: { via: 'node status' },
      });
    }
  }
  if (last) add(last);

  // --- pods: which were on the node, which were evicted, which replaced them ------------------
  const podsOnNode = new Set<string>();
  const latest = new Map<string, PodObject>();
  const deletionSeen = new Map<string, number>();
  for (const c of changes) {
    if (c.resource !== 'pod') continue;
    const p = c.object as PodObject;
    const name = p.metadata?.name;
    if (!name || !matches(p.metadata?.labels, input.podSelector)) continue;
    if (c.observedMs <= faultMs && c.type !== 'DELETED' && p.spec?.nodeName === node)
      podsOnNode.add(name);
    if (p.metadata?.deletionTimestamp && !deletionSeen.has(name))
      deletionSeen.set(name, c.observedMs);
    latest.set(name, p);
  }
  const evictionEvents = new Map<string, number>();
  for (const c of changes) {
    if (c.resource !== 'event') continue;
    const e = c.object as EventObject;
    if (e.reason !== 'TaintManagerEviction' || e.involvedObject?.kind !== 'Pod') continue;
    const at = ms(e.eventTime) ?? ms(e.firstTimestamp) ?? ms(e.lastTimestamp);
    const pod = e.involvedObject.name;
    if (pod && at !== undefined && at >= faultSecond && !evictionEvents.has(pod))
      evictionEvents.set(pod, at);
  }
  const evicted: UnreachableTimeline['evicted'] = [];
  for (const pod of podsOnNode) {
    const p = latest.get(pod);
    const deletion = ms(p?.metadata?.deletionTimestamp);
    if (deletion === undefined) continue;
    // the taint eviction controller marks the pod (DisruptionTarget) and deletes it; the
    // deletion timestamp is the delete call plus the pod's grace period
    const marked = p?.status?.conditions?.find(
      (x) => x.type === 'DisruptionTarget' && x.status === 'True',
    );
    const server = [
      ms(marked?.lastTransitionTime),
      deletion - (p?.metadata?.deletionGracePeriodSeconds ?? 0) * 1000,
      evictionEvents.get(pod),
    ].filter((t): t is number => t !== undefined && t >= faultSecond);
    const observed = deletionSeen.get(pod);
    if (server.length) evicted.push({ pod, atMs: Math.min(...server), source: 'server' });
    else if (observed !== undefined && observed >= faultMs)
      evicted.push({ pod, atMs: observed, source: 'observed' });
  }
  evicted.sort((a, b) => a.atMs - b.atMs);
  if (evicted.length) {
    add({
      name: 'first eviction',
      atMs: evicted[0]!.atMs,
      source: evicted[0]!.source,
      detail: { pod: evicted[0]!.pod },
    });
    const last = evicted[evicted.length - 1]!;
    add({
      name: 'last eviction',
      atMs: last.atMs,
      source: last.source,
      detail: { pod: last.pod, evicted: evicted.length },
    });
  }

  const replacements: UnreachableTimeline['replacements'] = [];
  for (const [pod, p] of latest) {
    const created = ms(p.metadata?.creationTimestamp);
    if (created === undefined || created < faultSecond) continue;
    const ready = readyCondition(p.status?.conditions);
    const readyMs = ready?.status === 'True' ? ms(ready.lastTransitionTime) : undefined;
    replacements.push({ pod, node: p.spec?.nodeName, readyMs });
  }
  // replacements are Ready when every pod of the node was evicted and as many new pods are Ready
  const readyTimes = replacements
    .map((r) => r.readyMs)
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b);
  if (evicted.length && evicted.length === podsOnNode.size && readyTimes.length >= evicted.length)
    add({
      name: 'replacements ready',
      atMs: readyTimes[evicted.length - 1]!,
      source: 'server',
      detail: { pods: evicted.length },
    });

  // --- endpoints: when the node's pods left the Service, and when it was whole again ---------
  // a Service's endpoints may span several slices: the Service's view is their union
  const slices = new Map<string, SliceObject>();
  let dropped = false;
  for (const c of changes) {
    if (c.resource !== 'endpointslice') continue;
    const s = c.object as SliceObject;
    const key = s.metadata?.name ?? '';
    if (c.type === 'DELETED') slices.delete(key);
    else slices.set(key, s);
    if (c.observedMs < faultMs) continue;
    const endpoints = [...slices.values()].flatMap((x) => x.endpoints ?? []);
    // an absent `ready` means ready (EndpointConditions)
    const ready = endpoints.filter((e) => e.conditions?.ready !== false);
    const onNode = ready.filter((e) => e.nodeName === node).length;
    if (!dropped && podsOnNode.size > 0 && onNode === 0) {
      dropped = true;
      add({
        name: 'endpoints dropped',
        atMs: c.observedMs,
        source: 'observed',
        detail: {
          readyEndpoints: ready.length,
          lastChangeTriggerTime:
            s.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'],
        },
      });
    } else if (dropped && ready.length >= input.replicas) {
      add({
        name: 'endpoints restored',
        atMs: c.observedMs,
        source: 'observed',
        detail: { readyEndpoints: ready.length },
      });
    }
  }

  milestones.sort((a, b) => a.atMs - b.atMs);
  return { milestones, evicted, replacements, podsOnNode: [...podsOnNode].sort() };
}

/** Seconds from `fromMs` to a milestone, or undefined when it was not reached. */
export function secondsTo(
  t: UnreachableTimeline,
  name: MilestoneName,
  fromMs: number,
): number | undefined {
  const m = t.milestones.find((x) => x.name === name);
  return m === undefined ? undefined : Math.round(m.atMs - fromMs) / 1000;
}
