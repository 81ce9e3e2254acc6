/**
 * `--provider existing --kubeconfig F --context C` end to end, through the CLI, on one cluster
 * tuneproof brings up (single node: the cheapest that runs both scenarios): a non-destructive
 * scenario runs; a destructive one is refused while the cluster lacks the ownership marker
 * (before anything is touched) and runs once the marker is back.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { KubeConfig, type V1ConfigMap } from '@kubernetes/client-node';
import test from 'ava';
import { ownerConfigMap } from '../../../clusters/kind/provider.ts';
import { core } from '../../../clusters/kube.ts';
import type { RunResult } from '../../../harness/results/schema.ts';
import { newClusterName } from '../../../harness/util/ids.ts';
import { integrationTest } from '../support/integration.ts';

const serial = integrationTest(test);
const main = join(import.meta.dirname, '../../../harness/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'tp-existing-'));
const kubeconfig = join(dir, 'kubeconfig');
const name = newClusterName('tpit');

function tuneproof(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The run.json files under a results directory. */
function runsUnder(results: string): RunResult[] {
  if (!existsSync(results)) return [];
  return readdirSync(results, { recursive: true, encoding: 'utf8' })
    .filter((f) => basename(f) === 'run.json')
    .map((f) => JSON.parse(readFileSync(join(results, f), 'utf8')) as RunResult);
}

let context = '';
const existing = () => ['--provider', 'existing', '--kubeconfig', kubeconfig, '--context', context];

test.after.always(async () => {
  await tuneproof(['cluster', 'down', name]);
});

serial(
  'a cluster brought up with `cluster up --provider kind` is reachable by its kubeconfig',
  async (t) => {
    t.timeout(8 * 60_000);
    const up = await tuneproof([
      'cluster',
      'up',
      '--provider',
      'kind',
      '--workers',
      '0',
      '--name',
      name,
      '--kubeconfig',
      kubeconfig,
    ]);
    t.is(up.code, 0, up.stderr);
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    context = kc.getCurrentContext();
    t.truthy(context);
    // the same cluster read back through the existing provider: nothing is created
    const read = await tuneproof(['cluster', 'up', ...existing()]);
    t.is(read.code, 0, read.stderr);
    t.regex(read.stdout, new RegExp(`cluster ${name} up \\(existing\\)`));
  },
);

serial('a non-destructive scenario runs on it through --provider existing', async (t) => {
  t.timeout(5 * 60_000);
  if (!context) return t.fail('no cluster');
  const results = join(dir, 'load');
  const r = await tuneproof([
    'run',
    'apiserver-load',
    ...existing(),
    '--set',
    'durationSeconds=10',
    '--set',
    'rate=20',
    '--set',
    'objects=20',
    '--results',
    results,
  ]);
  const [run] = runsUnder(results);
  t.is(run?.status, 'complete', `exit ${r.code}: ${r.stderr.slice(-2000)}`);
  t.is(run?.cluster?.provider, 'existing');
  t.is(run?.cluster?.name, name);
  t.true((run?.metrics.length ?? 0) > 0, 'it measured');
});

serial('compare makes its runs on it through --provider existing', async (t) => {
  t.timeout(8 * 60_000);
  if (!context) return t.fail('no cluster');
  const results = join(dir, 'aa');
  // the cheapest comparison: one short run per profile (tuned's runs are invalid here: the
  // cluster runs the default profile, so tuned's knobs read back as differing)
  const r = await tuneproof([
    'compare',
    '--profiles',
    'default,tuned',
    '--repeat',
    '1',
    '--scenarios',
    'apiserver-load',
    '--set',
    'durationSeconds=10',
    '--set',
    'rate=20',
    '--set',
    'objects=20',
    ...existing(),
    '--results',
    results,
  ]);
  const runs = runsUnder(results);
  t.true(runs.length >= 2, `exit ${r.code}: ${r.stderr.slice(-2000)}`);
  t.deepEqual(
    runs.map((x) => `${x.status} ${x.cluster?.provider} ${x.cluster?.name}`),
    runs.map(() => `complete existing ${name}`),
  );
  t.regex(r.stdout, /report\.html\s*$/);
});

serial(
  'without the ownership marker a destructive scenario is refused before anything starts; with it, it runs',
  async (t) => {
    t.timeout(6 * 60_000);
    if (!context) return t.fail('no cluster');
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    kc.setCurrentContext(context);
    const api = core(kc);
    const marker: V1ConfigMap = await api.readNamespacedConfigMap({ ...ownerConfigMap });
    await api.deleteNamespacedConfigMap({ ...ownerConfigMap });
    const stall = [
      '--set',
      'warmupSeconds=5',
      '--set',
      'stallSeconds=5',
      '--set',
      'recoverySeconds=10',
    ];
    try {
      const refusedDir = join(dir, 'refused');
      const refused = await tuneproof([
        'run',
        'etcd-disk-stall',
        ...existing(),
        ...stall,
        '--results',
        refusedDir,
      ]);
      t.is(refused.code, 2, refused.stderr);
      t.regex(refused.stderr, /provider existing lacks .*destructive/);
      t.deepEqual(runsUnder(refusedDir), [], 'refused before a run was started');
      const compare = await tuneproof([
        'compare',
        '--profiles',
        'default,tuned',
        '--scenarios',
        'etcd-disk-stall',
        ...existing(),
        '--results',
        join(dir, 'compare'),
      ]);
      t.is(compare.code, 2, compare.stderr);
      t.regex(compare.stderr, /etcd-disk-stall needs .*destructive.*existing provider lacks/);
    } finally {
      await api.createNamespacedConfigMap({
        namespace: ownerConfigMap.namespace,
        body: {
          metadata: { name: ownerConfigMap.name, labels: marker.metadata?.labels },
          data: marker.data,
        },
      });
    }
    const results = join(dir, 'stall');
    const r = await tuneproof([
      'run',
      'etcd-disk-stall',
      ...existing(),
      ...stall,
      '--results',
      results,
    ]);
    const [run] = runsUnder(results);
    t.is(run?.status, 'complete', `exit ${r.code}: ${r.stderr.slice(-2000)}`);
    t.is(run?.cluster?.provider, 'existing');
    const window = run?.timeline.filter((e) => e.kind === 'fault') ?? [];
    t.deepEqual(
      window.map((e) => e.edge),
      ['start', 'end'],
      'one fault window, closed',
    );
    t.like(window[0]?.detail, { fault: 'disk-write-throttle', process: 'etcd' });
  },
);
