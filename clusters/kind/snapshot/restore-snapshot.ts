import { TuneproofError } from '../../../harness/errors.ts';
import { cleanup } from '../../../harness/util/cleanup.ts';
import { log } from '../../../harness/util/log.ts';
import { docker } from '../../docker.ts';
import type { ClusterFacts } from '../../facts.ts';
import { kubeConfigFromAdminConf } from '../../kube.ts';
import { ownerLabels } from '../../labels.ts';
import type { ClusterSpec, ProgressEvent } from '../../provider.ts';
import { KindCluster } from '../cluster.ts';
import { routeCommands } from '../cni.ts';
import { createNetwork, takenSubnets } from '../network.ts';
import { type ClusterPlan, checkClusterName } from '../plan.ts';
import { kindCapabilities } from '../provider.ts';
import { removeUntilGone } from '../remove-until-gone.ts';
import { startClusterNodes } from '../start-nodes.ts';
import type { StoredSnapshot } from './snapshot-store.ts';
import { subnetTaken } from './snapshot-subnet.ts';
import { fillVarVolume } from './var-tree.ts';
import { waitRestarted } from './wait-restarted.ts';

/** The snapshot's subnet is held by another network (e.g. another restore of it): not its fault. */
export class SnapshotBusy extends TuneproofError {}

export interface RestoredCluster {
  cluster: KindCluster;
  /** When the restore began (bootstrap tokens and lease checks count from here). */
  startedAt: Date;
  /** Seconds from the start to every node and kube-system pod Ready. */
  readySeconds: number;
}

/**
 * A cluster from a snapshot, without kubeadm: the network again with the snapshot's subnet, a
 * named /var volume per node filled from the node's archive, node containers from the committed
 * images with the snapshot's hostnames and addresses (and this run's container names, labels
 * and published ports), pod routes again (they live in the node's network namespace, which a
 * container start makes anew), then the wait for Ready, from statuses reported since the restore
 * (wait-restarted.ts: the restored apiserver first serves the snapshot's stale ones). The
 * caller checks the result (check-restored.ts) before trusting it.
 */
export async function restoreSnapshot(
  snap: StoredSnapshot,
  spec: ClusterSpec,
  opts: {
    onProgress?: (e: ProgressEvent) => void;
    /** What the facts say of every cluster of the provider. */
    facts?: { kubernetesVersion?: string; images?: ClusterFacts['images'] };
  } = {},
): Promise<RestoredCluster> {
  const nameProblem = checkClusterName(spec.name);
  if (nameProblem) throw new TuneproofError(nameProblem);
  const m = snap.manifest;
  const startedAt = new Date();
  const t0 = performance.now();
  if (subnetTaken(m.network.subnet, await takenSubnets()))
    throw new SnapshotBusy(
      `snapshot ${m.key.slice(0, 12)}: its subnet ${m.network.subnet} is in use by another Docker network`,
    );
  const labels = ownerLabels(spec.runId, spec.name);
  const removal = cleanup.push(`remove cluster ${spec.name}`, () => removeUntilGone(spec.name));
  try {
    opts.onProgress?.({ step: 'network', detail: m.network.subnet });
    const plan: ClusterPlan = {
      name: spec.name,
      network: { name: `tuneproof-${spec.name}`, ...m.network },
      nodes: m.nodes.map((n) => ({
        name: n.name,
        role: n.role,
        ip: n.ip,
        containerName: `${spec.name}-${n.suffix}`,
      })),
      podSubnet: m.podSubnet,
      serviceSubnet: m.serviceSubnet,
    };
    await createNetwork(plan, labels).catch((e: Error) => {
      // lost a race for the subnet with another restore of this snapshot
      if (/overlap|Pool/.test(e.message))
        throw new SnapshotBusy(`snapshot ${m.key.slice(0, 12)}: ${e.message}`, { cause: e });
      throw e;
    });
    opts.onProgress?.({ step: 'volumes', detail: `${m.nodes.length} /var volumes` });
    const d = await docker();
    const filled: string[] = [];
    const volumes = await log.step(
      `Filling ${m.nodes.length} /var volumes from snapshot ${m.key.slice(0, 12)}`,
      'Volumes filled',
      () =>
        Promise.all(
          m.nodes.map(async (n) => {
            const name = `${spec.name}-${n.suffix}-var`;
            await d.createVolume({ Name: name, Labels: labels });
            filled.push(
              await fillVarVolume({
                volume: name,
                treeVolume: n.varVolume,
                image: n.imageRef,
                labels,
                context: `filling /var of ${n.name}`,
              }),
            );
            return name;
          }),
        ),
    );
    log.debug(`/var volumes ${[...new Set(filled)].join(' and ')} (see var-tree.ts)`);
    opts.onProgress?.({ step: 'nodes', detail: `${m.nodes.length} node containers` });
    const { nodes, started, apiServerUrl } = await startClusterNodes({
      title: `Starting ${m.nodes.length} node containers from snapshot ${m.key.slice(0, 12)}`,
      nodes: m.nodes.map((n, i) => ({
        name: n.name,
        role: n.role,
        ip: n.ip,
        containerName: plan.nodes[i]!.containerName,
        image: n.imageRef,
        sysctls: n.sysctls,
        ulimits: n.ulimits,
        varVolume: volumes[i],
      })),
      network: plan.network.name,
      labels,
      apiServerPort: m.apiServerPort,
      publishPorts: spec.publishPorts,
    });
    const cidrs = m.nodes.map((n) => ({ name: n.name, ip: n.ip, podCIDR: n.podCIDR }));
    await Promise.all(
      nodes.map((n, i) => n.exec(['sh', '-c', routeCommands(cidrs[i]!, cidrs, m.podSubnet)])),
    );
    const cpIndex = m.nodes.findIndex((n) => n.role === 'control-plane');
    const adminConf = (await nodes[cpIndex]!.exec(['cat', '/etc/kubernetes/admin.conf'])).stdout;
    const kc = kubeConfigFromAdminConf(adminConf, apiServerUrl);
    opts.onProgress?.({ step: 'ready' });
    await waitRestarted(
      kc,
      nodes.map((n) => n.name),
      startedAt,
    );
    const readySeconds = (performance.now() - t0) / 1000;
    const facts: ClusterFacts = {
      provider: 'kind',
      name: spec.name,
      kubernetesVersion: opts.facts?.kubernetesVersion,
      nodes: nodes.map((n) => ({ name: n.name, role: n.role, ip: n.ip })),
      images: opts.facts?.images ?? [],
      upSeconds: readySeconds,
    };
    removal.dismiss();
    return {
      startedAt,
      readySeconds,
      cluster: new KindCluster({
        name: spec.name,
        runId: spec.runId,
        capabilities: kindCapabilities,
        apiServerUrl,
        nodes,
        kubeConfig: kc,
        facts,
        effectiveConfig: [],
        hostPorts: started[cpIndex]!.hostPorts,
      }),
    };
  } catch (e) {
    // never retained: the caller brings a cluster of the same name up again another way
    await removal.run();
    throw e;
  }
}
