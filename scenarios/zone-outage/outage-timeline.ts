/**
 * The zone outage as the control plane lived it, from watched Node and Pod objects and their
 * server timestamps (second precision): each failed node's NotReady time (the node controller's
 * Ready condition lastTransitionTime), its NoExecute taint time (the taint's timeAdded), each of
 * its pods' eviction time (deletionTimestamp minus the grace period: when the taint manager's
 * DELETE arrived). Pure: unit-tested on recorded shapes.
 */

export interface WatchedObjectChange {
  resource: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: Record<string, unknown>;
  observedMs: number;
}

export interface NodeOutage {
  node: string;
  /** Ready went False/Unknown (server time, ms since the epoch). */
  notReadyMs?: number;
  /** NoExecute taint (unreachable or not-ready) added (server time). */
  taintMs?: number;
}

export interface PodEviction {
  pod: string;
  node: string;
  evictedMs?: number;
}

export interface OutageTimeline {
  nodes: NodeOutage[];
  pods: PodEviction[];
  /** Taint times in order, with the NotReady time of the node tainted. */
  taints: { node: string; taintMs: number; notReadyMs?: number }[];
}

const noExecuteKeys = new Set(['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);

interface NodeLike {
  metadata?: { name?: string };
  spec?: { taints?: { key?: string; effect?: string; timeAdded?: string }[] };
  status?: { conditions?: { type?: string; status?: string; lastTransitionTime?: string }[] };
}
interface PodLike {
  metadata?: {
    name?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    creationTimestamp?: string;
  };
  spec?: { nodeName?: string };
}

const ms = (t: string | undefined) => (t ? Date.parse(t) : undefined);

export function assembleOutage(input: {
  changes: readonly WatchedObjectChange[];
  failed: readonly string[];
  faultMs: number;
}): OutageTimeline {
  const failed = new Set(input.failed);
  const byNode = new Map<string, NodeOutage>(input.failed.map((n) => [n, { node: n }]));
  const pods = new Map<string, PodEviction>();
  for (const c of input.changes) {
    if (c.resource === 'node') {
      const n = c.object as NodeLike;
      const name = n.metadata?.name ?? '';
      const o = byNode.get(name);
      if (!o) continue;
      const ready = n.status?.conditions?.find((x) => x.type === 'Ready');
      const readyAt = ms(ready?.lastTransitionTime);
      if (
        o.notReadyMs === undefined &&
        ready &&
        ready.status !== 'True' &&
        readyAt !== undefined &&
        readyAt >= input.faultMs - 1000
      )
        o.notReadyMs = readyAt;
      const taint = n.spec?.taints?.find(
        (t) => t.effect === 'NoExecute' && noExecuteKeys.has(t.key ?? ''),
      );
      const taintAt = ms(taint?.timeAdded);
      if (o.taintMs === undefined && taintAt !== undefined && taintAt >= input.faultMs - 1000)
        o.taintMs = taintAt;
    } else if (c.resource === 'pod') {
      const p = c.object as PodLike;
      const name = p.metadata?.name ?? '';
      const node = p.spec?.nodeName ?? '';
      if (!failed.has(node)) continue;
      // a pod counts when it was on a failed node before the outage (not a later replacement)
      const created = ms(p.metadata?.creationTimestamp) ?? 0;
      if (created > input.faultMs) continue;
      const e = pods.get(name) ?? { pod: name, node };
      pods.set(name, e);
      const deletion = ms(p.metadata?.deletionTimestamp);
      if (e.evictedMs === undefined && deletion !== undefined)
        e.evictedMs = deletion - (p.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
    }
  }
  const nodes = [...byNode.values()];
  const taints = nodes
    .filter((n): n is NodeOutage & { taintMs: number } => n.taintMs !== undefined)
    .map((n) => ({ node: n.node, taintMs: n.taintMs, notReadyMs: n.notReadyMs }))
    .sort((a, b) => a.taintMs - b.taintMs);
  return { nodes, pods: [...pods.values()], taints };
}

/**
 * The eviction rate the node controller applied. Taints come from a token bucket of burst 1
 * checked every 100 ms: a node that had to wait for its taint got it the moment the next token
 * came, 1/rate after the previous taint. So an interval between consecutive taints measures the
 * rate when the later node waited (taint at least `minWaitMs` after its NotReady: with
 * timestamps of one-second precision a 1 s gap can be rounding); the others measure how nodes
 * arrived. The rate is the counted intervals over their total length.
 */
export function appliedTaintRate(
  taints: OutageTimeline['taints'],
  fromMs = Number.NEGATIVE_INFINITY,
  toMs = Number.POSITIVE_INFINITY,
  minWaitMs = 2000,
): { rate?: number; intervals: number; seconds: number } {
  let intervals = 0;
  let total = 0;
  for (let i = 1; i < taints.length; i++) {
    const prev = taints[i - 1]!;
    const cur = taints[i]!;
    if (prev.taintMs < fromMs || cur.taintMs > toMs) continue;
    if (cur.notReadyMs === undefined || cur.taintMs - cur.notReadyMs < minWaitMs) continue;
    intervals++;
    total += cur.taintMs - prev.taintMs;
  }
  const seconds = total / 1000;
  return {
    rate: intervals > 0 && seconds > 0 ? intervals / seconds : undefined,
    intervals,
    seconds,
  };
}

/** Pods of failed nodes not yet evicted, each second from the fault to `endMs`. */
export function podsLeftOnDeadNodes(
  pods: readonly PodEviction[],
  faultMs: number,
  endMs: number,
): { atMs: number; left: number }[] {
  const out: { atMs: number; left: number }[] = [];
  for (let t = faultMs; t <= endMs; t += 1000)
    out.push({
      atMs: t,
      left: pods.filter((p) => p.evictedMs === undefined || p.evictedMs > t).length,
    });
  return out;
}
