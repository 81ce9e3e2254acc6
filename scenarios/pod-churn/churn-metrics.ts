import { HistogramRecorder, percentileKey } from '../../harness/measure/histogram.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import {
  type ChurnPod,
  churnStages,
  type Stage,
  type StageSpan,
  stages,
} from './churn-timeline.ts';

/** SIG Scalability's pod startup SLO: schedulable stateless pods, images on the node, p99. */
export const podStartupSloMs = 5000;

const stageWhat: Record<Stage, string> = {
  create:
    "pod objects created (the ReplicaSet controller's creates: controller-manager kube-api-qps/burst)",
  schedule: "pods bound (the scheduler's bindings: scheduler kube-api-qps/burst)",
  run: 'pods with every container started (the kubelets)',
  delete: "pods' deletion requested on scale-down (the ReplicaSet controller's deletes)",
};

export interface ChurnSummary {
  pods: number;
  running: number;
  stages: Record<Stage, StageSpan>;
  /** Last pod running - first pod created, ms; undefined unless every pod ran. */
  completionMs?: number;
}

/**
 * The churn's results: per stage (create, schedule, run, delete) the span from its first to its
 * last pod and the pods per second through it (server timestamps, whole seconds); per pod the
 * startup latency (created -> all containers started, as the watch saw it) against the SLO,
 * created -> the containers' startedAt, created -> scheduled; pods past each stage over time.
 */
export function writeChurnResults(w: RunRecorder, pods: readonly ChurnPod[]): ChurnSummary {
  const s = churnStages(pods);
  const running = pods.filter((p) => p.runningMs !== undefined).length;
  w.metric({
    name: 'churn.pods_running',
    unit: 'count',
    direction: 'higher',
    value: running,
    description: `of ${pods.length} pods created`,
  });
  // Percentiles and spans over the pods that happened to run (a churn that scaled down at
  // `until: scheduled`, or timed out) would describe the quickest pods only: the run stage and
  // the startup figures are written when every pod ran.
  const allRan = running === pods.length && pods.length > 0;
  for (const stage of stages) {
    const span = s[stage];
    if (span.spanSeconds === undefined || (stage === 'run' && !allRan)) continue;
    w.metric({
      name: `churn.${stage}.seconds`,
      unit: 's',
      direction: 'lower',
      value: span.spanSeconds,
      description: `first to last of ${span.pods} ${stageWhat[stage]}; server timestamps, +-1 s`,
    });
    if (span.podsPerSecond !== undefined)
      w.metric({
        name: `churn.${stage}.pods_per_second`,
        unit: 'per_s',
        direction: 'higher',
        value: span.podsPerSecond,
        description: `(pods - 1) / span (span at least 1 s): ${stageWhat[stage]}`,
      });
  }
  const firstCreated = s.create.firstMs;
  const lastRunning = s.run.lastMs;
  const completionMs =
    running === pods.length &&
    pods.length > 0 &&
    firstCreated !== undefined &&
    lastRunning !== undefined
      ? lastRunning - firstCreated
      : undefined;
  if (completionMs !== undefined)
    w.metric({
      name: 'churn.completion_seconds',
      unit: 's',
      direction: 'lower',
      value: completionMs / 1000,
      description: 'first pod created -> last pod running (server timestamps)',
    });

  // The SLO's own definition: creation timestamp -> all containers started *as observed by a
  // watch* (clusterloader2 measures it so); the containers' startedAt is earlier by however long
  // the kubelet took to report it, which is part of what users wait for.
  const startup = new HistogramRecorder();
  const containersStarted = new HistogramRecorder();
  const binding = new HistogramRecorder();
  for (const p of pods) {
    if (allRan && p.createdMs !== undefined && p.observed.runningMs !== undefined)
      startup.record(Math.max(0, p.observed.runningMs - p.createdMs));
    if (allRan && p.createdMs !== undefined && p.runningMs !== undefined)
      containersStarted.record(p.runningMs - p.createdMs);
    if (p.createdMs !== undefined && p.scheduledMs !== undefined)
      binding.record(p.scheduledMs - p.createdMs);
  }
  if (allRan) {
    w.distribution(startup.toDistribution('pod.startup_latency', 'ms'));
    w.distribution(containersStarted.toDistribution('pod.containers_started', 'ms'));
  }
  w.distribution(binding.toDistribution('pod.created_to_scheduled', 'ms'));
  for (const [name, h, description] of [
    [
      'pod.startup_latency',
      startup,
      'created (server) -> all containers started, as the watch saw it (no image pulls)',
    ],
    [
      'pod.containers_started',
      containersStarted,
      "created -> the last container's startedAt (server timestamps, whole seconds)",
    ],
    [
      'pod.created_to_scheduled',
      binding,
      'created -> bound by the scheduler (server timestamps, whole seconds)',
    ],
  ] as const) {
    if (h.count === 0) continue;
    for (const p of [50, 90, 99, 100])
      w.metric({
        name: `${name}.${p === 100 ? 'max' : percentileKey(p)}`,
        unit: 'ms',
        direction: 'lower',
        value: h.percentile(p),
        description,
        slo:
          name === 'pod.startup_latency' && p === 99
            ? {
                op: '<=',
                threshold: podStartupSloMs,
                source: 'SIG Scalability: pod startup latency p99 <= 5s (images on the node)',
              }
            : undefined,
      });
  }

  // pods past each stage, per second of server time
  if (firstCreated !== undefined) {
    const end = Math.max(...stages.map((st) => s[st].lastMs ?? firstCreated), firstCreated);
    for (let at = firstCreated; at <= end; at += 1000) {
      const past = (f: (p: ChurnPod) => number | undefined) =>
        pods.filter((p) => {
          const t = f(p);
          return t !== undefined && t <= at;
        }).length;
      w.sample(
        'pods.created',
        past((p) => p.createdMs),
        {},
        new Date(at),
      );
      w.sample(
        'pods.scheduled',
        past((p) => p.scheduledMs),
        {},
        new Date(at),
      );
      w.sample(
        'pods.running',
        past((p) => p.runningMs),
        {},
        new Date(at),
      );
      w.sample(
        'pods.delete_requested',
        past((p) => p.deleteRequestedMs),
        {},
        new Date(at),
      );
    }
  }
  const milestone = (name: string, at: number | undefined, detail?: Record<string, unknown>) => {
    if (at !== undefined) w.event({ kind: 'note', name, at: new Date(at), detail });
  };
  milestone('first pod created', s.create.firstMs);
  milestone('last pod created', s.create.lastMs, { pods: s.create.pods });
  milestone('last pod scheduled', s.schedule.lastMs, { pods: s.schedule.pods });
  milestone('last pod running', s.run.lastMs, { pods: s.run.pods });
  milestone('last pod deletion requested', s.delete.lastMs, { pods: s.delete.pods });
  return { pods: pods.length, running, stages: s, completionMs };
}
