import { existsSync, readFileSync } from 'node:fs';
import { KubeConfig, type V1Node } from '@kubernetes/client-node';
import { ConfigError, TuneproofError } from '../../harness/errors.ts';
import type { EffectiveConfigEntry } from '../../harness/profiles/index.ts';
import { desiredConfig, observeConfig, renderProfile } from '../../harness/profiles/index.ts';
import { log } from '../../harness/util/log.ts';
import { docker } from '../docker.ts';
import type { ClusterFacts } from '../facts.ts';
import { collectKindDebug } from '../kind/cluster.ts';
import { kindRenderContext } from '../kind/kind-render-context.ts';
import { loadKindImages } from '../kind/load-kind-images.ts';
import { KindNode } from '../kind/node.ts';
import { kindCapabilities, ownerConfigMap } from '../kind/provider.ts';
import { core, getRaw } from '../kube.ts';
import { labelKeys } from '../labels.ts';
import type {
  ArtifactSink,
  Capabilities,
  Cluster,
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  NodeRole,
} from '../provider.ts';
import { makeObserver } from '../readback.ts';

/** Nothing destructive on a cluster tuneproof did not make. */
const readOnlyCapabilities: Capabilities = {
  multiNode: false,
  nodeExec: false,
  partitionNode: false,
  pauseNode: false,
  localRegistry: false,
  destructive: false,
};

export interface ExistingProviderOptions {
  /** A kubeconfig file the user names explicitly. */
  kubeconfig: string;
  /** The context to use, named explicitly: the current context is never used implicitly. */
  context: string;
}

/** What `ExistingProvider.connect` found: the cluster, its nodes, whether it is tuneproof's. */
interface Connection {
  kc: KubeConfig;
  nodeList: V1Node[];
  /** The cluster name in the ownership marker, when there is one. */
  ownedName?: string;
  /** Node handles: only on an owned cluster whose node containers are on this machine. */
  nodes: KindNode[];
  capabilities: Capabilities;
}

/**
 * A cluster someone else runs, reached through a kubeconfig and context the user names. Only
 * non-destructive scenarios run on it, unless it carries tuneproof's ownership marker (the
 * kube-system/tuneproof-owner ConfigMap) and its node containers are on this machine: then it is
 * a cluster tuneproof made, and node faults are allowed. Its capabilities are known once it is
 * connected (`connect`), before any run starts. This provider never deletes a cluster.
 */
export class ExistingProvider implements ClusterProvider {
  readonly name = 'existing';
  readonly capabilities: Capabilities;
  readonly #opts: ExistingProviderOptions;

  private constructor(opts: ExistingProviderOptions, capabilities: Capabilities) {
    this.#opts = opts;
    this.capabilities = capabilities;
  }

  /** Connects, checks ownership and says what this cluster allows. */
  static async connect(opts: ExistingProviderOptions): Promise<ExistingProvider> {
    const c = await probe(opts);
    log.info(
      c.capabilities.destructive
        ? `Cluster ${c.ownedName} carries tuneproof's ownership marker and its nodes are here: faults allowed`
        : `Cluster of context ${opts.context} is not tuneproof's: non-destructive scenarios only`,
    );
    return new ExistingProvider(opts, c.capabilities);
  }

  /** "Creates" nothing: connects again, checks ownership still holds, reads the profile back. */
  async create(spec: ClusterSpec): Promise<Cluster> {
    const { kc, nodeList, ownedName, nodes, capabilities } = await probe(this.#opts);
    // the marker may have gone since connect: never run faults on a cluster that is not ours
    const lost = (Object.keys(this.capabilities) as (keyof Capabilities)[]).filter(
      (k) => this.capabilities[k] && !capabilities[k],
    );
    if (lost.length)
      throw new TuneproofError(
        `cluster of context ${this.#opts.context} no longer allows ${lost.join(', ')} (its ownership marker or node containers are gone)`,
      );
    const server = kc.getCurrentCluster()?.server ?? '';
    const names = nodeList.map((n) => n.metadata?.name ?? '');
    const rendered = renderProfile(spec.profile, kindRenderContext());
    const desired = desiredConfig(spec.profile, rendered, names);
    const effective = await observeConfig(
      desired,
      spec.profile,
      makeObserver({ nodes, getRaw: (p) => getRaw(kc, p) }),
    );
    const facts: ClusterFacts = {
      provider: 'existing',
      name: ownedName ?? this.#opts.context,
      kubernetesVersion: nodeList[0]?.status?.nodeInfo?.kubeletVersion,
      nodes: nodeList.map((n) => ({
        name: n.metadata?.name ?? '',
        role:
          n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] !== undefined
            ? 'control-plane'
            : 'worker',
        ip: n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
      })),
      images: [],
    };
    return {
      name: facts.name,
      runId: spec.runId,
      provider: 'existing',
      capabilities: this.capabilities,
      apiServerUrl: server,
      nodes,
      hostPort: () => undefined,
      kubeConfig: () => kc,
      facts: () => facts,
      effectiveConfig: (): readonly EffectiveConfigEntry[] => effective,
      // into a cluster tuneproof made, through its node containers as the kind provider does
      loadImages: async (refs) => {
        if (!nodes.length)
          throw new TuneproofError(
            'the existing provider loads images only into a cluster tuneproof made (nodes here)',
          );
        await loadKindImages(nodes, refs);
      },
      collectDebug: (sink: ArtifactSink) => collectKindDebug(kc, nodes, sink),
      // someone else's cluster (or one `cluster up` keeps): never deleted from here
      delete: async () => undefined,
      [Symbol.asyncDispose]: async () => undefined,
    };
  }

  async list(): Promise<ClusterSummary[]> {
    const kc = loadKubeConfig(this.#opts);
    const nodes = await core(kc).listNode();
    return [
      {
        name: this.#opts.context,
        runId: '',
        nodes: nodes.items.map((n) => n.metadata?.name ?? ''),
        apiServerUrl: kc.getCurrentCluster()?.server,
      },
    ];
  }

  async delete(): Promise<void> {
    throw new TuneproofError('the existing provider never deletes clusters');
  }
}

/** The kubeconfig and context the user named; every problem with them at once. */
function loadKubeConfig(opts: ExistingProviderOptions): KubeConfig {
  const problems = [];
  if (!opts.kubeconfig)
    problems.push({
      path: '--kubeconfig',
      message: 'name the kubeconfig file of the cluster',
      severity: 'error' as const,
    });
  else if (!existsSync(opts.kubeconfig))
    problems.push({
      path: '--kubeconfig',
      message: `no such file: ${opts.kubeconfig}`,
      severity: 'error' as const,
    });
  if (!opts.context)
    problems.push({
      path: '--context',
      message: 'name the context explicitly (the current context is never used implicitly)',
      severity: 'error' as const,
    });
  if (problems.length) throw new ConfigError('existing cluster', problems);
  const kc = new KubeConfig();
  kc.loadFromString(readFileSync(opts.kubeconfig, 'utf8'));
  if (!kc.getContextObject(opts.context))
    throw new ConfigError('existing cluster', [
      {
        path: '--context',
        message: `no context "${opts.context}" in ${opts.kubeconfig}; it has: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')}`,
        severity: 'error',
      },
    ]);
  kc.setCurrentContext(opts.context);
  return kc;
}

/** Reaches the cluster, reads the ownership marker, attaches node containers if they are here. */
async function probe(opts: ExistingProviderOptions): Promise<Connection> {
  const kc = loadKubeConfig(opts);
  const api = core(kc);
  const nodeList = await api.listNode().catch((e: unknown) => {
    throw new TuneproofError(
      `cannot reach the cluster of context ${opts.context}: ${(e as Error).message}`,
    );
  });
  const owner = await api.readNamespacedConfigMap({ ...ownerConfigMap }).catch(() => undefined);
  const ownedName = owner?.data?.cluster;
  const nodes = ownedName ? await attachKindNodes(ownedName) : [];
  const owned = ownedName !== undefined && nodes.length === nodeList.items.length;
  return {
    kc,
    nodeList: nodeList.items,
    ownedName,
    nodes: owned ? nodes : [],
    capabilities: owned
      ? { ...kindCapabilities, multiNode: nodeList.items.length > 1 }
      : { ...readOnlyCapabilities, multiNode: nodeList.items.length > 1 },
  };
}

/** Node handles for a tuneproof cluster's containers on this machine, found by label. */
async function attachKindNodes(cluster: string): Promise<KindNode[]> {
  const d = await docker();
  const containers = await d.listContainers({
    filters: { label: [`${labelKeys.cluster}=${cluster}`, `${labelKeys.node}`] },
  });
  const network = `tuneproof-${cluster}`;
  const controlPlane = containers.find((c) => c.Labels[labelKeys.role] === 'control-plane');
  if (!controlPlane?.NetworkSettings?.Networks?.[network]?.IPAddress) return [];
  return containers.map(
    (c) =>
      new KindNode({
        name: c.Labels[labelKeys.node]!,
        role: c.Labels[labelKeys.role] as NodeRole,
        ip: c.NetworkSettings?.Networks?.[network]?.IPAddress ?? '',
        containerId: c.Id,
        network,
      }),
  );
}
