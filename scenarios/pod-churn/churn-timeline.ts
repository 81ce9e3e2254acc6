/**
 * Each churn pod's way through the control plane, from the API server's own timestamps:
 * created (creationTimestamp: the ReplicaSet controller's create call), scheduled (the
 * PodScheduled condition: the scheduler's binding), running (the last container's startedAt:
 * the kubelet), deletion requested (deletionTimestamp minus the grace period: the ReplicaSet
 * controller's delete call on scale-down). Server timestamps have whole seconds only, so every
 * span below is good to +-1 s; the watch's arrival times are kept beside them for reference.
 */

/** The fields of a Pod the churn reads (plain JSON as the API sends it). */
export interface ChurnPodJson {
  metadata?: {
    name?: string;
    uid?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
  };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
    containerStatuses?: { state?: { running?: { startedAt?: string } } }[];
  };
}

export interface ObservedPod {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: ChurnPodJson;
  observedMs: number;
}

/** Milliseconds since the epoch: server timestamps (whole seconds) and watch arrivals. */
export interface ChurnPod {
  name: string;
  uid: string;
  node?: string;
  createdMs?: number;
  scheduledMs?: number;
  /** The last container's startedAt (all containers running). */
  runningMs?: number;
  /** When the delete call was made: deletionTimestamp - deletionGracePeriodSeconds. */
  deleteRequestedMs?: number;
  /** Watch arrival of the first sighting as Running, and of the DELETED event. */
  observed: { runningMs?: number; goneMs?: number };
}

const ms = (iso: string | undefined): number | undefined => {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
};

const trueCondition = (p: ChurnPodJson, type: string) =>
  p.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/** The moment all of the pod's containers were running (server time), if they are. */
function allRunningMs(p: ChurnPodJson): number | undefined {
  const statuses = p.status?.containerStatuses ?? [];
  if (p.status?.phase !== 'Running' || statuses.length === 0) return undefined;
  const started = statuses.map((s) => ms(s.state?.running?.startedAt));
  if (started.some((t) => t === undefined)) return undefined;
  return Math.max(...(started as number[]));
}

/**
 * Per-pod stages from the watched changes (in arrival order; repeats after a re-list are
 * harmless: each stage keeps its first sighting). Pods are keyed by uid: a name is never
 * reused by a ReplicaSet, but a uid is what the API guarantees unique.
 */
export function buildChurnPods(changes: readonly ObservedPod[]): ChurnPod[] {
  const out = new Map<string, ChurnPod>();
  for (const { type, object: p, observedMs } of changes) {
    const uid = p.metadata?.uid;
    const name = p.metadata?.name;
    if (!uid || !name) continue;
    let t = out.get(uid);
    if (!t) {
      t = { name, uid, observed: {} };
      out.set(uid, t);
    }
    t.createdMs ??= ms(p.metadata?.creationTimestamp);
    if (p.spec?.nodeName) t.node ??= p.spec.nodeName;
    if (t.scheduledMs === undefined)
      t.scheduledMs = ms(trueCondition(p, 'PodScheduled')?.lastTransitionTime);
    if (t.runningMs === undefined) {
      t.runningMs = allRunningMs(p);
      if (t.runningMs !== undefined) t.observed.runningMs = observedMs;
    }
    const deletion = ms(p.metadata?.deletionTimestamp);
    if (deletion !== undefined)
      t.deleteRequestedMs ??= deletion - 1000 * (p.metadata?.deletionGracePeriodSeconds ?? 0);
    if (type === 'DELETED') t.observed.goneMs ??= observedMs;
  }
  return [...out.values()];
}

/** One stage of the churn over all pods: when its first and last pod passed it. */
export interface StageSpan {
  /** Pods that passed the stage. */
  pods: number;
  firstMs?: number;
  lastMs?: number;
  /** last - first, seconds (whole seconds: server timestamps). */
  spanSeconds?: number;
  /**
   * Pods per second through the stage: (pods - 1) / span, the rate between the first and the
   * last; with a span under the 1 s resolution, (pods - 1) / 1 s, a lower bound.
   */
  podsPerSecond?: number;
}

export function stageSpan(times: readonly (number | undefined)[]): StageSpan {
  const ts = times.filter((t): t is number => t !== undefined);
  if (ts.length === 0) return { pods: 0 };
  const firstMs = Math.min(...ts);
  const lastMs = Math.max(...ts);
  const spanSeconds = (lastMs - firstMs) / 1000;
  return {
    pods: ts.length,
    firstMs,
    lastMs,
    spanSeconds,
    podsPerSecond: ts.length > 1 ? (ts.length - 1) / Math.max(spanSeconds, 1) : undefined,
  };
}

export const stages = ['create', 'schedule', 'run', 'delete'] as const;
export type Stage = (typeof stages)[number];

export function churnStages(pods: readonly ChurnPod[]): Record<Stage, StageSpan> {
  return {
    create: stageSpan(pods.map((p) => p.createdMs)),
    schedule: stageSpan(pods.map((p) => p.scheduledMs)),
    run: stageSpan(pods.map((p) => p.runningMs)),
    delete: stageSpan(pods.map((p) => p.deleteRequestedMs)),
  };
}

/**
 * The least time a client with a token bucket of `qps` and `burst` (client-go's flowcontrol,
 * full when the burst starts) needs for `requests` calls: the first `burst` go at once, the rest
 * one per 1/qps. The ReplicaSet controller's pod creates are such calls (its events and status
 * updates take tokens from the same bucket, so the real time is longer, never shorter).
 */
export function tokenBucketSeconds(requests: number, qps: number, burst: number): number {
  return Math.max(0, requests - burst) / qps;
}
