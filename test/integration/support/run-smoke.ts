import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providerFromOptions } from '../../../harness/cli/provider-options.ts';
import { hostTools } from '../../../harness/cli/tools.ts';
import { toolVersion } from '../../../harness/cli/version.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import type { Metric, RunResult } from '../../../harness/results/schema.ts';
import { runScenario } from '../../../harness/runner/run-scenario.ts';
import { resolveParameters } from '../../../harness/scenario/parameters.ts';
import { newClusterName, newRunId } from '../../../harness/util/ids.ts';
import { scenarios } from '../../../scenarios/index.ts';

/** One real run of a scenario's smoke preset (with overrides) on a fresh cluster, as `tuneproof run` does. */
export async function runSmoke(
  scenario: string,
  profileRef: string,
  overrides: Record<string, unknown> = {},
): Promise<RunResult> {
  const s = scenarios[scenario];
  if (!s) throw new Error(`no scenario ${scenario}`);
  const { provider, images } = await providerFromOptions({ provider: 'kind' });
  const runId = newRunId();
  return runScenario({
    scenario: s,
    preset: 'smoke',
    params: resolveParameters(s, 'smoke', overrides),
    profile: loadProfile(profileRef).profile,
    provider,
    images: await images(),
    runId,
    runDir: join(mkdtempSync(join(tmpdir(), 'tp-it-')), runId),
    clusterName: newClusterName('tpit'),
    toolVersion,
    tools: await hostTools(),
  });
}

/** The value of a metric by name and labels; throws if the run did not observe it. */
export function metric(run: RunResult, name: string, labels: Record<string, string> = {}): number {
  const m = run.metrics.find(
    (x: Metric) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v),
  );
  if (!m)
    throw new Error(
      `run has no metric ${name}${JSON.stringify(labels)}; it has ${run.metrics.map((x) => x.name).join(', ')}`,
    );
  return m.value;
}

export const fixtureProfile = (name: string): string =>
  join(import.meta.dirname, '../../fixtures/profiles', `${name}.yaml`);
