import type { KubeConfig } from '@kubernetes/client-node';
import type { EffectiveConfigEntry } from '../../harness/profiles/index.ts';
import { log } from '../../harness/util/log.ts';
import { removeLabelled } from '../clean.ts';
import type { ClusterFacts } from '../facts.ts';
import { core } from '../kube.ts';
import type { SimulatedNodes } from '../kwok/index.ts';
import type { ArtifactSink, Capabilities, Cluster } from '../provider.ts';
import { loadKindImages } from './load-kind-images.ts';
import type { KindNode } from './node.ts';

export interface KindClusterInit {
  name: string;
  runId: string;
  capabilities: Capabilities;
  apiServerUrl: string;
  nodes: KindNode[];
  kubeConfig: KubeConfig;
  facts: ClusterFacts;
  effectiveConfig: EffectiveConfigEntry[];
  hostPorts: Record<number, number>;
  simulatedNodes?: SimulatedNodes;
}

/** A running kind cluster that tuneproof created in this run. */
export class KindCluster implements Cluster {
  readonly provider = 'kind';
  readonly name: string;
  readonly runId: string;
  readonly capabilities: Capabilities;
  readonly apiServerUrl: string;
  readonly nodes: readonly KindNode[];
  readonly simulatedNodes?: SimulatedNodes;
  readonly #kc: KubeConfig;
  readonly #facts: ClusterFacts;
  readonly #hostPorts: Record<number, number>;
  #effective: EffectiveConfigEntry[];
  #deleted = false;

  constructor(init: KindClusterInit) {
    this.name = init.name;
    this.runId = init.runId;
    this.capabilities = init.capabilities;
    this.apiServerUrl = init.apiServerUrl;
    this.nodes = init.nodes;
    this.#kc = init.kubeConfig;
    this.#facts = init.facts;
    this.#effective = init.effectiveConfig;
    this.#hostPorts = init.hostPorts;
    this.simulatedNodes = init.simulatedNodes;
  }

  hostPort(containerPort: number): number | undefined {
    return this.#hostPorts[containerPort];
  }

  kubeConfig(): KubeConfig {
    return this.#kc;
  }

  facts(): ClusterFacts {
    return this.#facts;
  }

  effectiveConfig(): readonly EffectiveConfigEntry[] {
    return this.#effective;
  }

  setEffectiveConfig(entries: EffectiveConfigEntry[]): void {
    this.#effective = entries;
  }

  /** Records how the cluster came up (fresh or restored) and how long that took. */
  setBringUp(bringUp: NonNullable<ClusterFacts['bringUp']>): void {
    this.#facts.bringUp = bringUp;
    this.#facts.upSeconds = bringUp.seconds;
  }

  loadImages(refs: readonly string[]): Promise<void> {
    return loadKindImages(this.nodes, refs);
  }

  async collectDebug(sink: ArtifactSink): Promise<void> {
    await collectKindDebug(this.#kc, this.nodes, sink);
  }

  async delete(): Promise<void> {
    if (this.#deleted) return;
    this.#deleted = true;
    await this.simulatedNodes?.stop();
    await log.step(`Deleting cluster ${this.name}`, `Deleted cluster ${this.name}`, () =>
      removeLabelled({ cluster: this.name }),
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.delete();
  }
}

/**
 * What a failed run keeps: each node's journal (kubelet, containerd), every container's log
 * through crictl, cluster events and pod states. Best effort: a node that cannot answer is
 * noted, not fatal. Artifacts are redacted by the sink.
 */
export async function collectKindDebug(
  kc: KubeConfig | undefined,
  nodes: readonly KindNode[],
  sink: ArtifactSink,
): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      const sh = async (script: string) => {
        const r = await n
          .exec(['sh', '-c', script], { allowFailure: true, timeoutMs: 60_000 })
          .catch((e: Error) => ({ stdout: '', stderr: e.message }));
        return r.stdout + (r.stderr ? `\n[stderr]\n${r.stderr}` : '');
      };
      sink.artifact(
        `logs/${n.name}/journal.log`,
        await sh('journalctl --no-pager -o short-precise -u kubelet -u containerd | tail -n 5000'),
      );
      sink.artifact(`logs/${n.name}/containers.txt`, await sh('crictl ps -a'));
      sink.artifact(
        `logs/${n.name}/container-logs.log`,
        await sh(
          `for id in $(crictl ps -a -q); do echo "=== $(crictl inspect -o go-template --template '{{.status.metadata.name}}' $id 2>/dev/null) $id"; crictl logs --tail 300 $id 2>&1; done`,
        ),
      );
    }),
  );
  if (!kc) return;
  try {
    const api = core(kc);
    const events = await api.listEventForAllNamespaces();
    sink.artifact(
      'logs/events.txt',
      events.items
        .map(
          (e) =>
            `${e.lastTimestamp?.toISOString?.() ?? e.eventTime ?? ''} ${e.involvedObject?.namespace ?? ''}/${e.involvedObject?.kind}/${e.involvedObject?.name} ${e.type} ${e.reason}: ${e.message}`,
        )
        .join('\n'),
    );
    const pods = await api.listPodForAllNamespaces();
    sink.artifact(
      'logs/pods.txt',
      pods.items
        .map(
          (p) =>
            `${p.metadata?.namespace}/${p.metadata?.name} ${p.spec?.nodeName ?? '-'} ${p.status?.phase} ${p.status?.reason ?? ''}`,
        )
        .join('\n'),
    );
  } catch (e) {
    sink.artifact('logs/api-unreachable.txt', String(e));
  }
}
