/**
 * Snapshots on real clusters: the first bring-up of a profile makes a snapshot and the cluster
 * a run gets is restored from it and checked; a restored cluster's leases renew and no node
 * flaps NotReady over 70 s; its bootstrap token expires its lifetime after the restore; a
 * second restore makes nothing; a snapshot that fails its check is discarded and made again;
 * a busy subnet falls back to kubeadm. Each step says so in the facts' bringUp. About 8 min.
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoordinationV1Api } from '@kubernetes/client-node';
import test from 'ava';
import { docker } from '../../../clusters/docker.ts';
import type { KindCluster } from '../../../clusters/kind/cluster.ts';
import {
  listSnapshots,
  type RestoringProvider,
  readSnapshot,
  snapshotKey,
} from '../../../clusters/kind/snapshot/index.ts';
import { core } from '../../../clusters/kube.ts';
import { providerFromOptions } from '../../../harness/cli/provider-options.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { newClusterName, newRunId } from '../../../harness/util/ids.ts';
import { integrationTest } from '../support/integration.ts';
import { clusterContract } from './contract.ts';

const serial = integrationTest(test);
let cluster: KindCluster | undefined;
async function drop(): Promise<void> {
  await cluster?.delete();
  cluster = undefined;
}
test.after.always(drop);

/** The kind provider from the registry, restoring snapshots (what the registry opens for kind). */
async function restoringProvider(): Promise<{ provider: RestoringProvider }> {
  const { provider } = await providerFromOptions({ provider: 'kind', fresh: false });
  return { provider: provider as RestoringProvider };
}

async function up(provider: RestoringProvider, profile: string, workers: number) {
  await cluster?.delete();
  cluster = await provider.create({
    runId: newRunId(),
    name: newClusterName('tpit'),
    profile: loadProfile(profile).profile,
    workers,
  });
  return cluster;
}

serial('a restored cluster passes the read-back check and the cluster contract', async (t) => {
  t.timeout(10 * 60_000);
  const { provider } = await restoringProvider();
  const c = await up(provider, 'tuned', 2);
  const b = c.facts().bringUp!;
  t.log(
    `bring-up ${b.mode}: ${b.seconds.toFixed(1)}s (snapshot made in ${b.snapshotBuildSeconds?.toFixed(1) ?? '-'}s, Ready ${b.restoreSeconds?.toFixed(1)}s, check ${b.checkSeconds?.toFixed(1)}s) ${b.notes.join('; ')}`,
  );
  t.is(b.mode, 'restore');
  t.deepEqual(b.notes, []);
  await clusterContract(t, c, { nodes: 3 });
  const bad = c
    .effectiveConfig()
    .filter((e) => e.status === 'differs' || e.status === 'unverified');
  t.deepEqual(
    bad.map((e) => `${e.component}.${e.key}@${e.node ?? ''}: ${e.status}`),
    [],
  );
  // the read-back equals the snapshot's, value by value (the check compared them; so does this)
  const key = snapshotKey(
    await provider.keyParts({ profile: loadProfile('tuned').profile, workers: 2 }),
  );
  const snap = readSnapshot(key)!;
  t.truthy(snap, 'the snapshot is stored under its key');
  t.deepEqual(
    c.effectiveConfig().map((e) => [e.component, e.key, e.node, e.observed]),
    snap.manifest.effectiveConfig.map((e) => [e.component, e.key, e.node, e.observed]),
  );
  // node names are the snapshot's, the containers this run's
  t.deepEqual(
    c.nodes.map((n) => n.name),
    snap.manifest.nodes.map((n) => n.name),
  );
  const info = await (await docker()).getContainer(`${c.name}-worker`).inspect();
  t.is(info.NetworkSettings.Networks[`tuneproof-${c.name}`]?.IPAddress, snap.manifest.nodes[1]!.ip);
});

serial('on a restored cluster leases renew and no node flaps NotReady for 70 s', async (t) => {
  t.timeout(5 * 60_000);
  if (!cluster) return t.fail('no cluster');
  const kc = cluster.kubeConfig();
  const api = core(kc);
  const leases = kc.makeApiClient(CoordinationV1Api);
  const renewals = new Map<string, Set<string>>();
  const notReady: string[] = [];
  const t0 = Date.now();
  while (Date.now() - t0 < 70_000) {
    for (const n of (await api.listNode()).items) {
      const ready = n.status?.conditions?.find((x) => x.type === 'Ready')?.status;
      if (ready !== 'True')
        notReady.push(`${n.metadata?.name} Ready=${ready} at ${Date.now() - t0} ms`);
      if ((n.spec?.taints ?? []).some((x) => x.key.startsWith('node.kubernetes.io/')))
        notReady.push(`${n.metadata?.name} tainted ${JSON.stringify(n.spec?.taints)}`);
    }
    for (const l of (await leases.listNamespacedLease({ namespace: 'kube-node-lease' })).items) {
      const name = l.metadata!.name!;
      if (!renewals.has(name)) renewals.set(name, new Set());
      renewals.get(name)!.add(new Date(l.spec!.renewTime!).toISOString());
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
  t.deepEqual(notReady, []);
  t.is(renewals.size, 3);
  // renewed every 10 s (nodeLeaseDurationSeconds 40 / 4): 70 s of watching sees >= 6 renewals
  for (const [name, seen] of renewals) {
    t.log(`${name}: ${seen.size} distinct renewals in 70 s`);
    t.true(seen.size >= 6, `${name} renewed ${seen.size} times`);
  }
  // the bootstrap token expires its lifetime (2 h) after the restore, as on a fresh cluster
  const tokens = await api.listNamespacedSecret({
    namespace: 'kube-system',
    fieldSelector: 'type=bootstrap.kubernetes.io/token',
  });
  t.is(tokens.items.length, 1);
  const expiry = Date.parse(Buffer.from(tokens.items[0]!.data!.expiration!, 'base64').toString());
  const fromNow = (expiry - Date.now()) / 60_000;
  t.true(fromNow > 110 && fromNow <= 120, `token expires in ${fromNow.toFixed(1)} min`);
});

serial('a second restore makes no snapshot and is faster than the fresh bring-up', async (t) => {
  t.timeout(5 * 60_000);
  const { provider } = await restoringProvider();
  const before = listSnapshots().snapshots.length;
  const c = await up(provider, 'tuned', 2);
  const b = c.facts().bringUp!;
  t.is(b.mode, 'restore');
  t.is(b.snapshotBuildSeconds, undefined);
  t.is(listSnapshots().snapshots.length, before);
  const snap = listSnapshots().snapshots.find((s) => s.manifest.key.startsWith(b.snapshot!))!;
  t.log(
    `restore Ready ${b.restoreSeconds!.toFixed(1)}s, delivered ${b.seconds.toFixed(1)}s; the snapshot's fresh bring-up took ${snap.manifest.freshSeconds.toFixed(1)}s`,
  );
  t.true(b.restoreSeconds! < snap.manifest.freshSeconds);
});

serial(
  'a snapshot that fails its check is discarded and made again; the run says so',
  async (t) => {
    t.timeout(10 * 60_000);
    await cluster?.delete();
    cluster = undefined;
    const { provider } = await restoringProvider();
    const profile = loadProfile('default').profile;
    const key = snapshotKey(await provider.keyParts({ profile, workers: 0 }));
    // make sure the snapshot exists, then make its recorded read-back disagree with any cluster
    await (await up(provider, 'default', 0)).delete();
    const snap = readSnapshot(key)!;
    const edited = structuredClone(snap.manifest);
    const entry = edited.effectiveConfig.find((e) => e.status === 'applied')!;
    entry.observed = 'not what any cluster runs';
    writeFileSync(join(snap.dir, 'manifest.json'), JSON.stringify(edited));
    const c = await up(provider, 'default', 0);
    const b = c.facts().bringUp!;
    t.log(b.notes.join('\n'));
    t.is(b.mode, 'restore');
    t.truthy(b.snapshotBuildSeconds, 'the snapshot was made again');
    t.true(
      b.notes.some((n) => /failed its check: effective config/.test(n) && /discarded/.test(n)),
    );
    t.not(readSnapshot(key)!.manifest.createdAt, snap.manifest.createdAt);
  },
);

serial(
  'a restore whose subnet is taken brings the cluster up with kubeadm and says so',
  async (t) => {
    t.timeout(6 * 60_000);
    await cluster?.delete();
    cluster = undefined;
    const { provider } = await restoringProvider();
    const profile = loadProfile('default').profile;
    const snap = readSnapshot(snapshotKey(await provider.keyParts({ profile, workers: 0 })))!;
    const d = await docker();
    const squatter = await d.createNetwork({
      Name: `tp-it-squatter-${newRunId()}`,
      IPAM: { Config: [{ Subnet: snap.manifest.network.subnet }] },
      Labels: { 'dev.tuneproof.tool': 'tuneproof' },
    });
    try {
      const c = await up(provider, 'default', 0);
      const b = c.facts().bringUp!;
      t.is(b.mode, 'fresh');
      t.true(
        b.notes.some((n) => /in use by another Docker network/.test(n)),
        b.notes.join('; '),
      );
      // the snapshot is not blamed for it
      t.is(readSnapshot(snap.manifest.key)?.manifest.createdAt, snap.manifest.createdAt);
    } finally {
      await drop();
      await squatter.remove();
    }
  },
);
