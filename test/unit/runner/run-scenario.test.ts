import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { kindCapabilities } from '../../../clusters/kind/provider.ts';
import type { ClusterProvider } from '../../../clusters/provider.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { runScenario } from '../../../harness/runner/run-scenario.ts';
import { resolveParameters } from '../../../harness/scenario/parameters.ts';
import { requiredCapabilities } from '../../../harness/scenario/required-capabilities.ts';
import { scenarios } from '../../../scenarios/index.ts';

// the refusal is pure logic: a provider that lacks a capability is never asked for a cluster
function providerWithout(missing: (keyof typeof kindCapabilities)[]) {
  const created: string[] = [];
  const provider: ClusterProvider = {
    name: 'fake',
    capabilities: {
      ...kindCapabilities,
      ...Object.fromEntries(missing.map((c) => [c, false])),
    },
    create: async (spec) => {
      created.push(spec.name);
      throw new Error('create must not be reached');
    },
    list: async () => [],
    delete: async () => undefined,
  };
  return { provider, created };
}

const refused = test.macro(
  async (t, scenario: string, overrides: Record<string, unknown>, missing: string[]) => {
    const s = scenarios[scenario]!;
    const { provider, created } = providerWithout(missing as (keyof typeof kindCapabilities)[]);
    const runDir = join(mkdtempSync(join(tmpdir(), 'tp-refused-')), 'run');
    const e = await t.throwsAsync(
      runScenario({
        scenario: s,
        preset: 'smoke',
        params: resolveParameters(s, 'smoke', overrides),
        profile: loadProfile('default').profile,
        provider,
        runId: 'r',
        runDir,
        clusterName: 'c',
        toolVersion: 'test',
        tools: { k6: 'k6' },
        images: { canary: 'c', proxy: 'p', nginx: 'n', registry: 'r' },
      }),
      { instanceOf: ConfigError },
    );
    for (const c of missing) t.regex(e!.problems[0]!.message, new RegExp(c));
    t.deepEqual(created, [], 'no cluster was asked for');
    t.false(existsSync(runDir), 'no run was started');
  },
);

test(
  'a destructive scenario is refused before any cluster starts',
  refused,
  'etcd-disk-stall',
  {},
  ['destructive'],
);
test(
  "a fault's own capability is checked up front (pause needs pauseNode)",
  refused,
  'node-unreachable',
  { fault: 'pause' },
  ['pauseNode'],
);

test("a scenario needs its faults' capabilities as well as its own", (t) => {
  const nu = scenarios['node-unreachable']!;
  t.deepEqual(
    requiredCapabilities(nu, resolveParameters(nu, 'smoke', { fault: 'kubelet' })).sort(),
    ['destructive', 'multiNode', 'nodeExec'],
  );
  const etcd = scenarios['etcd-disk-stall']!;
  t.deepEqual(requiredCapabilities(etcd, resolveParameters(etcd, 'smoke')).sort(), [
    'destructive',
    'nodeExec',
  ]);
});
