/**
 * Each storm pod's way to Running, put together from what the pod and event watches saw.
 *
 * Times are the host's clock when a watch delivered the change (milliseconds: kind nodes share
 * the host's clock, and the API's own timestamps have whole seconds only), except pull
 * durations, which the kubelet states in its Pulled event to the millisecond:
 * `Successfully pulled image "x" in 1.2s (3.4s including waiting). Image size: N bytes.`
 * "including waiting" counts the time the pull queued behind others (serialized pulls, or
 * maxParallelImagePulls full), so the pull itself started at pulled - 1.2s and was asked for
 * at pulled - 3.4s (when the Pulling event was sent: its arrival + 3.4s bounds the end of the
 * pull too, and the tighter bound wins, which keeps a late Pulled event from making serial
 * pulls look overlapped). Server timestamps are kept beside (second resolution) for reference.
 */
import { parseGoDuration } from '../../harness/util/go-duration.ts';

/** The fields of a core/v1 Event the storm reads (plain JSON as the API sends it). */
export interface EventJson {
  metadata?: { uid?: string; name?: string };
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  source?: { host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

/** The fields of a Pod the storm reads. */
export interface PodJson {
  metadata?: { name?: string; creationTimestamp?: string };
  spec?: { nodeName?: string; containers?: { image?: string }[] };
  status?: {
    phase?: string;
    conditions?: { type?: string; status?: string; lastTransitionTime?: string }[];
    containerStatuses?: {
      state?: {
        running?: { startedAt?: string };
        waiting?: { reason?: string; message?: string };
      };
    }[];
  };
}

export interface PodTimeline {
  name: string;
  node?: string;
  image?: string;
  /** Host ms since the epoch. */
  createdMs?: number;
  scheduledMs?: number;
  /** The kubelet's Pulling event: the pull was asked for (it may then wait in the queue). */
  pullRequestedMs?: number;
  /** Derived: pulledMs - pull duration. */
  pullStartedMs?: number;
  pulledMs?: number;
  /** From the Pulled message. */
  pullMs?: number;
  pullWithWaitMs?: number;
  imageBytes?: number;
  /** The kubelet found the image on the node (IfNotPresent, another pod pulled it). */
  imagePresent?: boolean;
  runningMs?: number;
  pullErrors: number;
  backOffs: number;
  /** Server timestamps, ISO (second resolution). */
  server: { created?: string; scheduled?: string; started?: string };
}

export interface PulledMessage {
  image: string;
  pullMs: number;
  withWaitMs?: number;
  imageBytes?: number;
}

/** The kubelet's Pulled message (successful pull), or undefined for anything else. */
export function parsePulledMessage(message: string): PulledMessage | undefined {
  const d = String.raw`((?:\d+(?:\.\d+)?(?:h|ms|us|µs|μs|ns|m|s))+)`;
  const m = new RegExp(
    String.raw`^Successfully pulled image "([^"]+)" in ${d}(?: \(${d} including waiting\))?\.(?: Image size: (\d+) bytes\.)?`,
  ).exec(message);
  if (!m) return undefined;
  const pullMs = parseGoDuration(m[2]!);
  if (pullMs === undefined) return undefined;
  return {
    image: m[1]!,
    pullMs,
    withWaitMs: m[3] === undefined ? undefined : parseGoDuration(m[3]),
    imageBytes: m[4] === undefined ? undefined : Number(m[4]),
  };
}

/** Pull failures and back-offs, by the kubelet's reasons and messages. */
export function classifyEvent(
  e: EventJson,
): 'pulling' | 'pulled' | 'present' | 'pullError' | 'backOff' | 'other' {
  const msg = e.message ?? '';
  switch (e.reason) {
    case 'Pulling':
      return 'pulling';
    case 'Pulled':
      return /already present on machine/.test(msg) ? 'present' : 'pulled';
    case 'Failed':
    case 'ErrImagePull':
      return /pull|image/i.test(msg) ? 'pullError' : 'other';
    case 'BackOff':
      return /pulling image/i.test(msg) ? 'backOff' : 'other';
    default:
      return 'other';
  }
}

export interface Observed<T> {
  object: T;
  observedMs: number;
}

const condition = (p: PodJson, type: string) =>
  p.status?.conditions?.find((c) => c.type === type && c.status === 'True');

/**
 * Per-pod timelines from the watched pod changes and events (in arrival order; repeats, as
 * after a re-list, are harmless: each milestone keeps its first sighting). Event counts use the
 * event's own `count` (the API aggregates repeats of one event into one object).
 */
export function buildTimelines(
  pods: readonly Observed<PodJson>[],
  events: readonly Observed<EventJson>[],
): Map<string, PodTimeline> {
  const out = new Map<string, PodTimeline>();
  const get = (name: string): PodTimeline => {
    let t = out.get(name);
    if (!t) {
      t = { name, pullErrors: 0, backOffs: 0, server: {} };
      out.set(name, t);
    }
    return t;
  };
  for (const { object: p, observedMs } of pods) {
    const name = p.metadata?.name;
    if (!name) continue;
    const t = get(name);
    t.createdMs ??= observedMs;
    t.server.created ??= p.metadata?.creationTimestamp;
    t.image ??= p.spec?.containers?.[0]?.image;
    if (p.spec?.nodeName) t.node ??= p.spec.nodeName;
    const scheduled = condition(p, 'PodScheduled');
    if (scheduled && t.scheduledMs === undefined) {
      t.scheduledMs = observedMs;
      t.server.scheduled = scheduled.lastTransitionTime;
    }
    if (p.status?.phase === 'Running' && t.runningMs === undefined) {
      t.runningMs = observedMs;
      t.server.started = p.status.containerStatuses?.[0]?.state?.running?.startedAt;
    }
  }
  // the highest count seen per event object (an aggregated event is re-delivered with count+1)
  const counts = new Map<string, { pod: string; kind: string; count: number }>();
  for (const { object: e, observedMs } of events) {
    if (e.involvedObject?.kind !== 'Pod' || !e.involvedObject.name) continue;
    const t = get(e.involvedObject.name);
    const kind = classifyEvent(e);
    const key = e.metadata?.uid ?? `${e.involvedObject.name}/${e.reason}/${e.message}`;
    const prev = counts.get(key);
    counts.set(key, {
      pod: e.involvedObject.name,
      kind,
      count: Math.max(prev?.count ?? 0, e.count ?? 1),
    });
    if (kind === 'pulling') t.pullRequestedMs ??= observedMs;
    else if (kind === 'present') t.imagePresent = true;
    else if (kind === 'pulled' && t.pulledMs === undefined) {
      const parsed = parsePulledMessage(e.message ?? '');
      t.pulledMs = observedMs;
      if (parsed) {
        t.pullMs = parsed.pullMs;
        t.pullWithWaitMs = parsed.withWaitMs;
        t.imageBytes = parsed.imageBytes;
      }
    }
  }
  // Both the Pulled event's arrival and the Pulling event's arrival plus the stated time with
  // waiting are the true end of the pull plus some delivery delay: the earlier is the closer
  for (const t of out.values()) {
    if (t.pulledMs === undefined || t.pullMs === undefined) continue;
    if (t.pullRequestedMs !== undefined && t.pullWithWaitMs !== undefined)
      t.pulledMs = Math.min(t.pulledMs, t.pullRequestedMs + t.pullWithWaitMs);
    t.pullStartedMs = t.pulledMs - t.pullMs;
  }
  for (const { pod, kind, count } of counts.values()) {
    const t = get(pod);
    if (kind === 'pullError') t.pullErrors += count;
    else if (kind === 'backOff') t.backOffs += count;
  }
  return out;
}

/**
 * How far estimated pull edges can be from the truth. Both bounds on a pull's end are event
 * arrival times, late by however long the kubelet's event broadcaster and the watch took
 * (seen: up to ~0.35 s apart between consecutive events on a busy 2-core host), and the kubelet
 * truncates durations to milliseconds; so back-to-back serialized pulls can seem to overlap by
 * a few hundred ms. Intervals are shrunk by this much at each end before counting: pulls in
 * flight are pulls that overlapped by more than that (a re-pull of an image already fetched,
 * tens of ms, never counts).
 */
export const EDGE_TOLERANCE_MS = 500;

/** Pulls running (or queued) on each node at `atMs`. */
export function pullsInFlight(
  timelines: Iterable<PodTimeline>,
  atMs: number,
  phase: 'pulling' | 'waiting' = 'pulling',
): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of timelines) {
    if (!t.node || t.pulledMs === undefined) continue;
    const from = phase === 'pulling' ? t.pullStartedMs : t.pullRequestedMs;
    const to = phase === 'pulling' ? t.pulledMs : t.pullStartedMs;
    if (from === undefined || to === undefined) continue;
    if (from + EDGE_TOLERANCE_MS <= atMs && atMs < to - EDGE_TOLERANCE_MS)
      out.set(t.node, (out.get(t.node) ?? 0) + 1);
  }
  return out;
}
