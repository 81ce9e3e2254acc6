import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { docker } from '../../../clusters/docker.ts';
import { ExistingProvider } from '../../../clusters/existing/provider.ts';
import { core } from '../../../clusters/kube.ts';
import { pidOf } from '../../../clusters/pid-of.ts';
import type { Cluster } from '../../../clusters/provider.ts';
import { providerFromOptions } from '../../../harness/cli/provider-options.ts';
import {
  blockKubeletApiserver,
  freezeProcess,
  injectFault,
  networkDisconnect,
  pauseNode,
} from '../../../harness/faults/index.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { newClusterName, newRunId } from '../../../harness/util/ids.ts';
import { waitFor } from '../../../harness/util/wait-for.ts';
import { integrationTest } from '../support/integration.ts';
import { clusterContract } from './contract.ts';

const serial = integrationTest(test);
const fixture = (name: string) =>
  join(import.meta.dirname, '../../fixtures/profiles', `${name}.yaml`);

let cluster: Cluster | undefined;
test.after.always(async () => {
  await cluster?.delete();
});

async function readyStatus(c: Cluster, node: string): Promise<string | undefined> {
  const n = await core(c.kubeConfig()).readNode({ name: node });
  return n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
}

async function waitReadyStatus(
  c: Cluster,
  node: string,
  want: (s: string | undefined) => boolean,
  what: string,
  timeoutMs: number,
): Promise<number> {
  const t0 = performance.now();
  await waitFor(`${node} ${what}`, { timeoutMs }, async () => {
    const s = await readyStatus(c, node);
    return want(s) ? true : { pending: `Ready=${s}` };
  });
  return (performance.now() - t0) / 1000;
}

serial(
  '1 control plane + 2 workers come up with a profile, and every knob reads back as set',
  async (t) => {
    t.timeout(10 * 60_000);
    const { profile } = loadProfile(fixture('tuned-changed'));
    const { provider } = await providerFromOptions({ provider: 'kind', fresh: true });
    cluster = await provider.create({
      runId: newRunId(),
      name: newClusterName('tpit'),
      profile,
      workers: 2,
    });
    t.log(`up after ${cluster.facts().upSeconds?.toFixed(1)}s`);
    await clusterContract(t, cluster, { nodes: 3 });
    const entries = cluster.effectiveConfig();
    const bad = entries.filter((e) => e.status !== 'applied' && e.status !== 'not-applicable');
    t.deepEqual(
      bad.map((e) => `${e.component}.${e.key}@${e.node ?? ''}: ${e.status} ${e.note ?? ''}`),
      [],
    );
    // the one value the fixture changes over tuned shows up as observed
    t.is(entries.find((e) => e.key === 'max-requests-inflight')?.observed, '1234');
    // a tuned kubelet value is observed on every node, not only the first (kind#3849)
    const serial = entries.filter((e) => e.key === 'serializeImagePulls');
    t.is(serial.length, 3);
    t.true(serial.every((e) => e.observed === false));
    // Pods: a pod's network namespace is new, so it starts from the kernel's per-namespace
    // defaults (net.core.somaxconn 4096 since Linux 5.4), not from the node's 32768: the
    // read-back in pods must show the difference on every node, the node itself applied.
    const somaxconn = entries.filter((e) => e.key === 'net.core.somaxconn');
    t.is(somaxconn.length, 3);
    for (const e of somaxconn) {
      t.is(e.status, 'applied', `${e.node}: the node has the profile's value`);
      t.like(e.inPods, { observed: '4096', status: 'differs' }, `${e.node}: ${e.inPods?.note}`);
    }
    // host-global knobs are reported, not dropped
    t.true(
      entries.some(
        (e) => e.key === 'net.ipv4.neigh.default.gc_thresh3' && e.status === 'not-applicable',
      ),
    );
  },
);

serial(
  'the existing provider satisfies the same contract on a cluster tuneproof made and marked',
  async (t) => {
    t.timeout(3 * 60_000);
    if (!cluster) return t.fail('no cluster from the previous test');
    const dir = mkdtempSync(join(tmpdir(), 'tp-kubeconfig-'));
    const kc = cluster.kubeConfig();
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, kc.exportConfig(), { mode: 0o600 });
    const provider = await ExistingProvider.connect({
      kubeconfig: file,
      context: kc.getCurrentContext(),
    });
    const existing = await provider.create({
      runId: 'contract',
      name: cluster.name,
      profile: loadProfile(fixture('tuned-changed')).profile,
      workers: 2,
    });
    t.true(existing.capabilities.partitionNode, 'owned cluster: faults allowed');
    await clusterContract(t, existing, { nodes: 3 });
    await t.throwsAsync(
      () => ExistingProvider.connect({ kubeconfig: file, context: 'no-such-context' }),
      { message: /no context "no-such-context"/ },
    );
  },
);

serial(
  'blocking kubelet -> apiserver makes a worker Unknown; unblocking brings it back',
  async (t) => {
    t.timeout(5 * 60_000);
    if (!cluster) return t.fail('no cluster');
    const worker = cluster.nodes.find((n) => n.role === 'worker')!;
    const undo = await injectFault(blockKubeletApiserver, { cluster, node: worker });
    const toUnknown = await waitReadyStatus(
      cluster,
      worker.name,
      (s) => s === 'Unknown',
      'Ready=Unknown',
      120_000,
    );
    t.log(`Ready=Unknown after ${toUnknown.toFixed(1)}s (grace period 20s)`);
    t.true(toUnknown >= 10 && toUnknown < 60, `NotReady after ${toUnknown}s`);
    await undo.run();
    const back = await waitReadyStatus(
      cluster,
      worker.name,
      (s) => s === 'True',
      'Ready again',
      120_000,
    );
    t.log(`Ready again ${back.toFixed(1)}s after unblocking`);
  },
);

serial('a disconnected worker goes NotReady and comes back Ready with the same IP', async (t) => {
  t.timeout(5 * 60_000);
  if (!cluster) return t.fail('no cluster');
  const worker = cluster.nodes.filter((n) => n.role === 'worker')[1]!;
  const undo = await injectFault(networkDisconnect, { cluster, node: worker });
  const toUnknown = await waitReadyStatus(
    cluster,
    worker.name,
    (s) => s !== 'True',
    'not Ready',
    120_000,
  );
  t.log(`not Ready after ${toUnknown.toFixed(1)}s`);
  await undo.run();
  await waitReadyStatus(cluster, worker.name, (s) => s === 'True', 'Ready again', 120_000);
  // the address Docker gave the reconnected node is the one it had
  const info = await (await docker()).getContainer(worker.name).inspect();
  t.is(info.NetworkSettings.Networks[`tuneproof-${cluster.name}`]?.IPAddress, worker.ip);
});

serial('a paused node resumes, and a frozen process resumes', async (t) => {
  t.timeout(3 * 60_000);
  if (!cluster) return t.fail('no cluster');
  const worker = cluster.nodes.find((n) => n.role === 'worker')!;
  const undoPause = await injectFault(pauseNode, { cluster, node: worker });
  const state = async () => (await docker()).getContainer(worker.name).inspect();
  t.true((await state()).State.Paused);
  await undoPause.run();
  t.false((await state()).State.Paused);
  await waitReadyStatus(cluster, worker.name, (s) => s === 'True', 'Ready after unpause', 120_000);
  // a process of our own in the node: frozen (T), then running again
  await worker.exec(['sh', '-c', 'nohup sleep 600 >/dev/null 2>&1 &']);
  const pid = await pidOf(worker, 'sleep');
  t.truthy(pid);
  const stateOf = async () =>
    (await worker.exec(['sh', '-c', `awk '{print $3}' /proc/${pid}/stat`])).stdout.trim();
  const undoFreeze = await injectFault(
    freezeProcess,
    { cluster, node: worker },
    { process: 'sleep' },
  );
  t.is(await stateOf(), 'T');
  await undoFreeze.run();
  t.is(await stateOf(), 'S');
  await worker.exec(['kill', String(pid)]);
});

serial('the default profile reads back at the upstream defaults (single node)', async (t) => {
  t.timeout(8 * 60_000);
  await cluster?.delete();
  cluster = undefined;
  const { profile } = loadProfile('default');
  const { provider } = await providerFromOptions({ provider: 'kind', fresh: true });
  cluster = await provider.create({
    runId: newRunId(),
    name: newClusterName('tpit'),
    profile,
    workers: 0,
  });
  t.log(`single node up after ${cluster.facts().upSeconds?.toFixed(1)}s`);
  const entries = cluster.effectiveConfig();
  t.deepEqual(
    entries
      .filter((e) => e.status !== 'applied')
      .map((e) => `${e.component}.${e.key}: ${e.status} ${e.note ?? ''}`),
    [],
  );
  t.is(entries.find((e) => e.key === 'max-requests-inflight')?.observed, '400');
  t.is(entries.find((e) => e.key === 'serializeImagePulls')?.observed, true);
});
