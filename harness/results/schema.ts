import { z } from 'zod';
import { ClusterFacts, ImageRef } from '../../clusters/facts.ts';
import { EffectiveConfigEntry } from '../profiles/effective-config-entry.ts';
import { ProfileRef } from '../profiles/profile-ref.ts';
import {
  Direction,
  Distribution,
  Labels,
  Metric,
  type MetricInput,
  Sample,
  Slo,
  TimelineEvent,
  type TimelineEventInput,
  Unit,
} from '../scenario/records.ts';

// each stage's records live with it; a run's result combines them
export {
  ClusterFacts,
  Direction,
  Distribution,
  EffectiveConfigEntry,
  ImageRef,
  Labels,
  Metric,
  type MetricInput,
  ProfileRef,
  Sample,
  Slo,
  TimelineEvent,
  type TimelineEventInput,
  Unit,
};

/**
 * The versioned result of one run: (profile, scenario, repetition). Written as `run.json` at the
 * end; while a run is in progress its events, samples and metrics are appended to NDJSON files
 * beside it (see run-writer.ts) so a killed run keeps what it measured.
 */
export const resultSchemaVersion = 1;

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

export const RunStatus = z.enum(['running', 'complete', 'failed', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatus>;

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
