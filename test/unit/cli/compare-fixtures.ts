import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  type CompareSetup,
  parseCompareOptions,
} from '../../../harness/cli/compare/compare-options.ts';
import { writePlanFile } from '../../../harness/cli/compare/compare-plan-file.ts';
import {
  type ComparisonPlan,
  planComparison,
  planFileOf,
} from '../../../harness/cli/compare/plan-comparison.ts';
import { runDirOf } from '../../../harness/compare/comparison-runs.ts';
import type { PlannedRun } from '../../../harness/compare/plan-runs.ts';
import type { ResolvedProfile } from '../../../harness/profiles/index.ts';
import { RunWriter } from '../../../harness/results/run-writer.ts';
import type { Scenario } from '../../../harness/scenario/types.ts';

export const tempDir = (prefix = 'tp-compare-'): string => mkdtempSync(join(tmpdir(), prefix));

function fakeScenario(name: 'apiserver-load' | 'node-unreachable', keys: string[]): Scenario {
  const shape = Object.fromEntries(keys.map((k) => [k, z.number().int().min(1)]));
  const defaults = Object.fromEntries(keys.map((k) => [k, 30]));
  return {
    name,
    question: `fake ${name}`,
    parameters: z.object(shape).strict(),
    presets: { smoke: defaults, standard: { ...defaults, [keys[0]!]: 180 } },
    requires: [],
    workers: () => 1,
    measurements: () => [],
    run: async () => {},
  } as unknown as Scenario;
}

/** Two scenarios with their own parameters, so per-scenario --set can be told apart. */
export const fakeScenarios: Record<string, Scenario> = {
  'apiserver-load': fakeScenario('apiserver-load', ['durationSeconds', 'rate']),
  'node-unreachable': fakeScenario('node-unreachable', ['durationSeconds', 'replicas']),
};

/** A checked setup with the built-in profiles and the fake scenarios. */
export function setupOf(args: Parameters<typeof parseCompareOptions>[0]): CompareSetup {
  return parseCompareOptions(
    { profiles: 'default,tuned', scenarios: 'apiserver-load', repeat: '4', ...args },
    { scenarios: fakeScenarios },
  );
}

export interface FakeRunOptions {
  status?: 'complete' | 'failed' | 'interrupted' | 'killed';
  invalid?: string[];
  /** api.latency.p99 value; by default tuned is about half of default (an improvement). */
  value?: number;
  params?: Record<string, unknown>;
  /** Override the planned run's comparison id and side (runs of another comparison). */
  plan?: { comparisonId: string; side: string; repetition: number };
}

/**
 * Writes one run as runScenario would: through RunWriter, finished with the given status;
 * `killed` leaves run.json saying `running`, as a kill -9 does.
 */
export function writeFakeRun(
  dir: string,
  planned: PlannedRun,
  profile: ResolvedProfile,
  params: unknown,
  options: FakeRunOptions = {},
): string {
  const w = new RunWriter(dir, {
    runId: planned.runId,
    toolVersion: 'test',
    profile: { name: profile.name, digest: profile.digest, values: {} },
    scenario: {
      name: planned.scenario,
      preset: 'smoke',
      parameters: (options.params ?? params) as Record<string, unknown>,
    },
    plan: options.plan ?? {
      comparisonId: planned.comparisonId,
      side: planned.side,
      repetition: planned.repetition,
    },
  });
  w.event({ kind: 'phase', name: planned.scenario, edge: 'start' });
  w.metric({
    name: 'api.latency.p99',
    labels: { verb: 'GET' },
    unit: 'ms',
    direction: 'lower',
    value: options.value ?? (planned.profile === 'tuned' ? 50 : 100) + planned.repetition,
  });
  for (const reason of options.invalid ?? []) w.markInvalid(reason);
  const status = options.status ?? 'complete';
  if (status !== 'killed') {
    w.event({ kind: 'phase', name: planned.scenario, edge: 'end' });
    w.finish(status, status === 'failed' ? new Error('cluster never became Ready') : undefined);
  }
  return dir;
}

/** A comparison's results directory with plan.json, and a writer for its planned runs. */
export function comparisonFixture(
  setup: CompareSetup,
  comparisonId = 'cmp-fixture',
): {
  dir: string;
  plan: ComparisonPlan;
  write: (planned: PlannedRun, options?: FakeRunOptions) => string;
} {
  const dir = tempDir();
  const plan = planComparison(setup, comparisonId);
  writePlanFile(dir, planFileOf(setup, plan, 'test'));
  const write = (planned: PlannedRun, options: FakeRunOptions = {}) =>
    writeFakeRun(
      runDirOf(dir, planned.runId),
      planned,
      setup.profiles.find((p) => p.name === planned.profile)!,
      setup.params.get(planned.scenario),
      options,
    );
  return { dir, plan, write };
}
