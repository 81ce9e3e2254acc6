import { z } from 'zod';

/**
 * The versioned result of one run: (profile, scenario, repetition). Written as `run.json` at the
 * end; while a run is in progress its events, samples and metrics are appended to NDJSON files
 * beside it (see run-writer.ts) so a killed run keeps what it measured.
 */
export const resultSchemaVersion = 1;

export const Direction = z.enum(['lower', 'higher', 'none']);
export type Direction = z.infer<typeof Direction>;

export const Unit = z.enum(['ms', 's', 'count', 'per_s', 'ratio', 'bytes', 'percent']);
export type Unit = z.infer<typeof Unit>;

export const Labels = z.record(z.string(), z.string());
export type Labels = z.infer<typeof Labels>;

/** A service-level objective on a metric: the value must satisfy `op threshold`. */
export const Slo = z.object({
  op: z.enum(['<=', '<', '>=', '>']),
  threshold: z.number(),
  /** Where the objective comes from, e.g. "SIG Scalability: mutating API calls p99 <= 1s". */
  source: z.string(),
});
export type Slo = z.infer<typeof Slo>;

/** One scalar a run observed; comparisons work over these, one value per run. */
export const Metric = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_.]*$/),
  labels: Labels.default({}),
  unit: Unit,
  direction: Direction,
  value: z.number(),
  slo: Slo.optional(),
  description: z.string().optional(),
});
export type Metric = z.infer<typeof Metric>;
export type MetricInput = z.input<typeof Metric>;

/** A latency (or size) distribution, backed by an HDR histogram (base64, compressed). */
export const Distribution = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_.]*$/),
  labels: Labels.default({}),
  unit: Unit,
  count: z.number().int().nonnegative(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
  percentiles: z.record(z.string(), z.number()),
  /** HdrHistogram compressed encoding (hdr-histogram-js encodeIntoCompressedBase64). */
  hdr: z.string().optional(),
});
export type Distribution = z.infer<typeof Distribution>;

/** Something that happened during the run, with the time it was observed. */
export const TimelineEvent = z.object({
  /** ISO timestamp (server timestamps where the source has them). */
  at: z.string(),
  /** Milliseconds since the run's start. */
  tMs: z.number(),
  kind: z.enum(['phase', 'fault', 'recovery', 'cluster', 'load', 'note', 'error']),
  name: z.string(),
  /** For windows (a load phase, a fault): 'start' / 'end'. */
  edge: z.enum(['start', 'end', 'point']).default('point'),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export type TimelineEventInput = z.input<typeof TimelineEvent>;

/** A time series sample (per-second counts, host CPU, in-flight pulls...). */
export const Sample = z.object({
  tMs: z.number(),
  series: z.string(),
  labels: Labels.default({}),
  value: z.number(),
});
export type Sample = z.infer<typeof Sample>;

export const EffectiveConfigEntry = z.object({
  component: z.string(),
  key: z.string(),
  scope: z.enum(['cluster', 'per-node', 'host-global']),
  /** The node it was read on, for per-node knobs. */
  node: z.string().optional(),
  desired: z.unknown(),
  observed: z.unknown().optional(),
  status: z.enum(['applied', 'differs', 'not-applicable', 'unverified']),
  note: z.string().optional(),
});
export type EffectiveConfigEntry = z.infer<typeof EffectiveConfigEntry>;

export const HostFacts = z.object({
  hostname: z.string().optional(),
  cpus: z.number(),
  memoryBytes: z.number(),
  kernel: z.string(),
  platform: z.string(),
  nodeVersion: z.string(),
  dockerVersion: z.string().optional(),
  cgroupVersion: z.enum(['v1', 'v2', 'unknown']).optional(),
});
export type HostFacts = z.infer<typeof HostFacts>;

export const ImageRef = z.object({
  role: z.string(),
  ref: z.string(),
  digest: z.string().optional(),
  source: z.enum(['official', 'tuneproof']),
});

export const ClusterFacts = z.object({
  provider: z.string(),
  name: z.string(),
  kubernetesVersion: z.string().optional(),
  nodes: z.array(z.object({ name: z.string(), role: z.string(), ip: z.string().optional() })),
  images: z.array(ImageRef).default([]),
  upSeconds: z.number().optional(),
  /** How the cluster came up: kubeadm (fresh) or restored from a snapshot, and the times. */
  bringUp: z
    .object({
      mode: z.enum(['fresh', 'restore']),
      /** Seconds to a Ready (and, restored, checked) cluster for this run, snapshot build included. */
      seconds: z.number(),
      /** The snapshot's key (first 12 hex digits), when restored. */
      snapshot: z.string().optional(),
      /** Seconds this run spent making the snapshot first (fresh bring-up and save). */
      snapshotBuildSeconds: z.number().optional(),
      /** Seconds from the restore's start to every node and kube-system pod Ready. */
      restoreSeconds: z.number().optional(),
      /** Seconds the restored cluster's check took. */
      checkSeconds: z.number().optional(),
      /** What happened on the way (a snapshot discarded, a fallback to kubeadm). */
      notes: z.array(z.string()).default([]),
    })
    .optional(),
  /** Simulated (kwok) nodes beside the real ones: count, zones, the stages played, cadence. */
  simulatedNodes: z
    .object({
      count: z.number(),
      zones: z.number(),
      simulator: z.string(),
      kwokVersion: z.string(),
      cadence: z.record(z.string(), z.number()),
      stages: z.array(
        z.object({ name: z.string(), does: z.string(), delaySeconds: z.number().optional() }),
      ),
      readySeconds: z.number(),
    })
    .optional(),
});
export type ClusterFacts = z.infer<typeof ClusterFacts>;

export const RunStatus = z.enum(['running', 'complete', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const ProfileRef = z.object({
  name: z.string(),
  /** sha256 of the resolved profile values: two runs with equal digests ran the same profile. */
  digest: z.string(),
  /** Resolved knob values, `component.key` -> value. */
  values: z.record(z.string(), z.unknown()),
});
export type ProfileRef = z.infer<typeof ProfileRef>;

export const RunResult = z.object({
  schemaVersion: z.literal(resultSchemaVersion),
  runId: z.string(),
  toolVersion: z.string(),
  status: RunStatus,
  /** True when read from a run that never finalised (killed): what it holds was measured. */
  partial: z.boolean().default(false),
  /** Why the run cannot be used in a comparison (host contention, unhealthy cluster...). */
  invalid: z.array(z.string()).default([]),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  profile: ProfileRef,
  scenario: z.object({
    name: z.string(),
    preset: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).default({}),
  }),
  /** Which comparison this run belongs to, and its place in the plan. */
  plan: z
    .object({ comparisonId: z.string(), side: z.string(), repetition: z.number().int() })
    .optional(),
  host: HostFacts.optional(),
  cluster: ClusterFacts.optional(),
  effectiveConfig: z.array(EffectiveConfigEntry).default([]),
  timeline: z.array(TimelineEvent).default([]),
  metrics: z.array(Metric).default([]),
  distributions: z.array(Distribution).default([]),
  /** Files kept for debugging, relative to the run directory (logs, events, journals). */
  artifacts: z.array(z.string()).default([]),
  error: z.string().optional(),
});
export type RunResult = z.infer<typeof RunResult>;
export type RunResultInput = z.input<typeof RunResult>;

/** Stable identity of a metric across runs: name plus sorted labels. */
export function metricKey(m: { name: string; labels?: Labels }): string {
  const labels = Object.entries(m.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return labels.length === 0
    ? m.name
    : `${m.name}{${labels.map(([k, v]) => `${k}=${v}`).join(',')}}`;
}
