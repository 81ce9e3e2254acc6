import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { TuneproofError } from '../../harness/errors.ts';
import { renderProfile } from '../../harness/profiles/index.ts';
import { cleanup } from '../../harness/util/cleanup.ts';
import { log } from '../../harness/util/log.ts';
import { listLabelledClusters, removeLabelled } from '../clean.ts';
import type { ClusterFacts } from '../facts.ts';
import { core, kubeConfigFromAdminConf } from '../kube.ts';
import { startSimulatedNodes } from '../kwok/index.ts';
import { ownerLabels } from '../labels.ts';
import type {
  Capabilities,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  ProgressEvent,
} from '../provider.ts';
import { installCni } from './actions/install-cni.ts';
import { kubeadmInit } from './actions/kubeadm-init.ts';
import { kubeadmJoin } from './actions/kubeadm-join.ts';
import { markOwnership } from './actions/mark-ownership.ts';
import { readBack } from './actions/read-back.ts';
import { waitReady } from './actions/wait-ready.ts';
import { writeNodeFiles } from './actions/write-node-files.ts';
import { KindCluster } from './cluster.ts';
import { createNetwork, takenSubnets } from './network.ts';
import { kindNodeLayout } from './node-layout.ts';
import { checkClusterName, pickSubnet, planCluster } from './plan.ts';
import { removeUntilGone } from './remove-until-gone.ts';
import { startClusterNodes } from './start-nodes.ts';

export { ownerConfigMap } from './actions/mark-ownership.ts';

export const apiServerPort = 6443;

export const kindCapabilities: Capabilities = {
  multiNode: true,
  nodeExec: true,
  partitionNode: true,
  pauseNode: true,
  localRegistry: true,
  destructive: true,
};

export interface KindProviderOptions {
  /** Node image to run (tuneproof/node:<version> or kindest/node:<version>). */
  nodeImage: string;
  kubernetesVersion: string;
  images?: ClusterFacts['images'];
}

/**
 * Clusters as kind makes them, but with node containers started by tuneproof through
 * testcontainers (the kind CLI always asks for --privileged, which some hosts refuse).
 * Bring-up is a plan, then ordered actions (kind's create.Cluster shape); everything created is
 * registered for removal before it is created, and removed on failure unless `retain` is set.
 */
export class KindProvider implements ClusterProvider {
  readonly name = 'kind';
  readonly capabilities = kindCapabilities;
  readonly #opts: KindProviderOptions;

  constructor(opts: KindProviderOptions) {
    this.#opts = opts;
  }

  async create(
    spec: ClusterSpec,
    opts: {
      onProgress?: (e: ProgressEvent) => void;
      /** The network's subnet (a snapshot's template cluster gets one apart from fresh ones). */
      subnet?: string;
    } = {},
  ): Promise<KindCluster> {
    const nameProblem = checkClusterName(spec.name);
    if (nameProblem) throw new TuneproofError(nameProblem);
    const t0 = performance.now();
    let step = 'plan';
    const progress = (name: string, detail?: string) => {
      step = name;
      opts.onProgress?.({ step: name, detail });
    };
    const labels = ownerLabels(spec.runId, spec.name);
    const plan = planCluster(
      spec.name,
      spec.workers,
      opts.subnet ?? pickSubnet(await takenSubnets()),
    );
    // registered before anything exists: Ctrl-C or a crash from here on removes what was made
    const removal = cleanup.push(`remove cluster ${spec.name}`, async () => {
      await log.step(`Removing cluster ${spec.name}`, `Removed cluster ${spec.name}`, () =>
        removeUntilGone(spec.name),
      );
    });
    try {
      progress('network', plan.network.subnet);
      await createNetwork(plan, labels);
      const rendered = renderProfile(spec.profile, {
        kubernetesVersion: this.#opts.kubernetesVersion,
        clusterName: spec.name,
        nodes: plan.nodes.map((n) => ({ name: n.name, role: n.role, ip: n.ip })),
        podSubnet: plan.podSubnet,
        serviceSubnet: plan.serviceSubnet,
        apiServerPort,
        certSANs: ['localhost', '127.0.0.1'],
        bootstrapToken: `${randomBytes(3).toString('hex')}.${randomBytes(8).toString('hex')}`,
        criSocket: 'unix:///run/containerd/containerd.sock',
        dnsUpstream: plan.network.gateway,
        layout: kindNodeLayout,
      });
      progress('nodes', `${plan.nodes.length} node containers`);
      const { nodes, started, apiServerUrl } = await startClusterNodes({
        title: `Starting ${plan.nodes.length} node containers (${this.#opts.nodeImage})`,
        nodes: plan.nodes.map((n, i) => ({
          ...n,
          image: this.#opts.nodeImage,
          sysctls: rendered.nodes[i]!.sysctls,
          ulimits: rendered.nodes[i]!.ulimits,
        })),
        network: plan.network.name,
        labels,
        apiServerPort,
        publishPorts: spec.publishPorts,
      });

      progress('configure', 'kubeadm, kubelet, containerd files');
      await Promise.all(
        nodes.map((n, i) => writeNodeFiles(n, rendered.nodes[i]!, rendered.containerdFragment)),
      );
      progress('kubeadm init');
      await kubeadmInit(nodes[0]!);
      const adminConf = (await nodes[0]!.exec(['cat', '/etc/kubernetes/admin.conf'])).stdout;
      const kc = kubeConfigFromAdminConf(adminConf, apiServerUrl);
      progress('kubeadm join', `${spec.workers} workers`);
      await kubeadmJoin(nodes.slice(1));
      progress('cni');
      await installCni(kc, nodes, plan.podSubnet);
      if (spec.workers === 0) await untaintControlPlane(kc, nodes[0]!.name);
      progress('ready');
      await waitReady(
        kc,
        nodes.map((n) => n.name),
      );
      await markOwnership(kc, spec);
      progress('read back', 'effective configuration');
      const effectiveConfig = await readBack(spec.profile, rendered, nodes, kc);
      // kwok's nodes join a cluster that is already up and read back: the profile is the real one
      if (spec.simulatedNodes) progress('simulated nodes', `${spec.simulatedNodes.count} (kwok)`);
      const simulatedNodes = spec.simulatedNodes
        ? await startSimulatedNodes({
            kc,
            clusterName: spec.name,
            profile: spec.profile,
            spec: spec.simulatedNodes,
          })
        : undefined;
      const upSeconds = (performance.now() - t0) / 1000;
      const facts: ClusterFacts = {
        provider: 'kind',
        name: spec.name,
        kubernetesVersion: this.#opts.kubernetesVersion,
        nodes: nodes.map((n) => ({ name: n.name, role: n.role, ip: n.ip })),
        images: this.#opts.images ?? [],
        upSeconds,
        simulatedNodes: simulatedNodes?.facts(),
      };
      // from here the caller owns the cluster: it deletes it (or keeps it for `cluster up`)
      removal.dismiss();
      log.info(`Cluster ${spec.name} is up after ${upSeconds.toFixed(1)}s: ${apiServerUrl}`);
      return new KindCluster({
        name: spec.name,
        runId: spec.runId,
        capabilities: this.capabilities,
        apiServerUrl,
        nodes,
        kubeConfig: kc,
        facts,
        effectiveConfig,
        hostPorts: started[0]!.hostPorts,
        simulatedNodes,
      });
    } catch (e) {
      if (spec.retain) {
        removal.dismiss();
        log.warn(
          `bring-up of ${spec.name} failed; keeping its containers (--retain). Inspect with: docker exec -it ${spec.name}-control-plane bash; remove with: tuneproof cluster down ${spec.name}`,
        );
      } else await removal.run();
      if (e instanceof TuneproofError) throw e;
      throw new TuneproofError(
        `bring-up of cluster ${spec.name} failed at step "${step}": ${e instanceof Error ? e.message.trim() : String(e)}`,
        { cause: e },
      );
    }
  }

  async list(): Promise<ClusterSummary[]> {
    return (await listLabelledClusters()).map((c) => ({
      name: c.cluster,
      runId: c.run,
      nodes: c.nodes,
      createdAt: c.createdAt,
    }));
  }

  async delete(name: string): Promise<void> {
    await removeLabelled({ cluster: name });
  }
}

async function untaintControlPlane(kc: KubeConfig, node: string): Promise<void> {
  const api = core(kc);
  const n = await api.readNode({ name: node });
  const taints = (n.spec?.taints ?? []).filter(
    (t) => t.key !== 'node-role.kubernetes.io/control-plane',
  );
  await api.patchNode({
    name: node,
    body: [{ op: 'replace', path: '/spec/taints', value: taints }],
  });
}
