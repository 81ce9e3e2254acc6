import { CoordinationV1Api } from '@kubernetes/client-node';
import type { EffectiveConfigEntry, ResolvedProfile } from '../../../harness/profiles/index.ts';
import { log } from '../../../harness/util/log.ts';
import { waitFor } from '../../../harness/util/wait-for.ts';
import { core, getRaw } from '../../kube.ts';
import { readBackEntries } from '../actions/read-back.ts';
import type { KindNode } from '../node.ts';
import { compareEffectiveConfig, desiredFromSnapshot } from './compare-effective-config.ts';
import { nthAddress, resolveInCluster } from './dns-probe.ts';
import { leaderLeases } from './quiesce.ts';
import type { RestoredCluster } from './restore-snapshot.ts';
import type { SnapshotManifest } from './snapshot-manifest.ts';

export interface RestoreCheck {
  /** Empty when the restored cluster is what the snapshot was. */
  problems: string[];
  effectiveConfig: EffectiveConfigEntry[];
  seconds: number;
}

const settleMs = 30_000;

/** Waits for `check` to hold; a timeout becomes a problem (with what was last seen), not a throw. */
async function holds(
  what: string,
  check: () => Promise<true | { pending: string }>,
): Promise<string | undefined> {
  try {
    await waitFor(what, { timeoutMs: settleMs, intervalMs: 1000 }, check);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * A restored cluster is checked, not trusted. Beyond the Ready wait every bring-up ends with:
 * - the profile's knobs read back exactly as on the snapshot's cluster (same observer as a
 *   fresh bring-up; any difference fails);
 * - every node's taints as on the snapshot (a node that went NotReady on the way would carry
 *   the not-ready taint);
 * - every node lease renewed since the restore began, and the controller manager and scheduler
 *   leader leases held and renewed since then (the components work, not only run);
 * - the apiserver's /readyz, and CoreDNS answering for the kubernetes Service through the DNS
 *   Service address.
 */
export async function checkRestored(
  restored: RestoredCluster,
  snap: SnapshotManifest,
  profile: ResolvedProfile,
): Promise<RestoreCheck> {
  const t0 = performance.now();
  const { cluster, startedAt } = restored;
  const kc = cluster.kubeConfig();
  const nodes = cluster.nodes as readonly KindNode[];
  const api = core(kc);
  const leases = kc.makeApiClient(CoordinationV1Api);
  const since = startedAt.getTime();
  const renewed = (t: Date | string | undefined) =>
    t !== undefined && new Date(t).getTime() >= since;

  const problems: string[] = [];
  const effectiveConfig = await readBackEntries(
    profile,
    desiredFromSnapshot(snap.effectiveConfig),
    nodes,
    kc,
  );
  problems.push(
    ...compareEffectiveConfig(snap.effectiveConfig, effectiveConfig).map(
      (p) => `effective config: ${p}`,
    ),
  );
  const checks = await Promise.all([
    holds('node taints as on the snapshot', async () => {
      const listed = (await api.listNode()).items;
      for (const n of snap.nodes) {
        const now = listed.find((x) => x.metadata?.name === n.name);
        const taints = (now?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
        if (taints.join() !== n.taints.join())
          return { pending: `${n.name} has taints [${taints}], the snapshot [${n.taints}]` };
      }
      return true;
    }),
    holds('node leases renewed since the restore', async () => {
      const list = await leases.listNamespacedLease({ namespace: 'kube-node-lease' });
      for (const n of snap.nodes) {
        const l = list.items.find((x) => x.metadata?.name === n.name);
        if (!renewed(l?.spec?.renewTime)) return { pending: `lease of ${n.name} not renewed` };
      }
      return true;
    }),
    holds('leader leases held since the restore', async () => {
      for (const name of leaderLeases) {
        const l = await leases.readNamespacedLease({ namespace: 'kube-system', name });
        if (!l.spec?.holderIdentity || !renewed(l.spec.renewTime))
          return { pending: `${name} has no live leader` };
      }
      return true;
    }),
    holds('apiserver /readyz', async () =>
      (await getRaw(kc, '/readyz')).trim() === 'ok' ? true : { pending: 'not ok' },
    ),
    holds('CoreDNS answering', async () => {
      const want = nthAddress(snap.serviceSubnet, 1);
      const got = await resolveInCluster(
        nodes.find((n) => n.role === 'control-plane')!,
        nthAddress(snap.serviceSubnet, 10),
        'kubernetes.default.svc.cluster.local',
      );
      return got.includes(want) ? true : { pending: `answered [${got}], expected ${want}` };
    }),
  ]);
  problems.push(...checks.filter((c): c is string => c !== undefined));
  const seconds = (performance.now() - t0) / 1000;
  if (problems.length === 0)
    log.info(`Restored cluster ${cluster.name} passed its check in ${seconds.toFixed(1)}s`);
  return { problems, effectiveConfig, seconds };
}
