import type { LoadedRun } from '../../../harness/compare/load-runs.ts';
import {
  type MetricInput,
  RunResult,
  type RunResultInput,
} from '../../../harness/results/schema.ts';

export interface FakeRunInput {
  runId: string;
  profile: string;
  /** Digest of the profile; defaults to one derived from the name. */
  digest?: string;
  side?: string;
  comparisonId?: string;
  repetition?: number;
  scenario?: string;
  metrics?: MetricInput[];
  status?: RunResultInput['status'];
  invalid?: string[];
}

/** An in-memory run as loadRuns would return it (no disk needed). */
export function fakeRun(input: FakeRunInput): LoadedRun {
  const run = RunResult.parse({
    schemaVersion: 1,
    runId: input.runId,
    toolVersion: 'test',
    status: input.status ?? 'complete',
    invalid: input.invalid ?? [],
    startedAt: new Date(Date.UTC(2025, 0, 1, 0, 0, input.repetition ?? 0)).toISOString(),
    profile: { name: input.profile, digest: input.digest ?? `sha256:${input.profile}`, values: {} },
    scenario: { name: input.scenario ?? 'apiserver-load' },
    ...(input.side
      ? {
          plan: {
            comparisonId: input.comparisonId ?? 'cmp',
            side: input.side,
            repetition: input.repetition ?? 1,
          },
        }
      : {}),
    metrics: input.metrics ?? [],
  });
  return { dir: `/results/${input.runId}`, relDir: input.runId, run };
}

/** A metric input with defaults: ms, lower is better. */
export function latency(value: number, extra: Partial<MetricInput> = {}): MetricInput {
  return {
    name: 'api.latency.p99',
    labels: { verb: 'GET' },
    unit: 'ms',
    direction: 'lower',
    value,
    ...extra,
  };
}

/**
 * Runs for sides A (baseline) and B with the given per-run values of one metric, interleaved
 * A B B A like the planner does.
 */
export function sidesOf(
  a: readonly number[],
  b: readonly number[],
  options: {
    metric?: (v: number) => MetricInput;
    profiles?: [string, string];
    comparisonId?: string;
  } = {},
): LoadedRun[] {
  const metric = options.metric ?? ((v: number) => latency(v));
  const [pa, pb] = options.profiles ?? ['default', 'tuned'];
  const cmp = options.comparisonId ?? 'cmp';
  return [
    ...a.map((v, i) =>
      fakeRun({
        runId: `${cmp}-a-${i + 1}`,
        profile: pa,
        side: 'A',
        comparisonId: cmp,
        repetition: i + 1,
        metrics: [metric(v)],
      }),
    ),
    ...b.map((v, i) =>
      fakeRun({
        runId: `${cmp}-b-${i + 1}`,
        profile: pb,
        side: 'B',
        comparisonId: cmp,
        repetition: i + 1,
        metrics: [metric(v)],
      }),
    ),
  ];
}
