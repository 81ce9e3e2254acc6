import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { applyManifest } from '../../clusters/kube.ts';
import { onSimulatedNodes, simulatedNodeLabels } from '../../clusters/kwok/index.ts';
import { log } from '../../harness/util/log.ts';
import { waitFor } from '../../harness/util/wait-for.ts';

export const namespace = 'zone-outage';
export const workloadSelector = 'app=zone-outage';

/**
 * One pod per simulated node of the failing zone (a Deployment spread by hostname, maxSkew 1),
 * so every failed node has a pod to evict. With `tolerationSeconds` the pods say how long they
 * stay on an unreachable or not-ready node; without it the apiserver's DefaultTolerationSeconds
 * gives the profile's default-*-toleration-seconds.
 */
export function workloadManifest(opts: {
  zone: string;
  replicas: number;
  image: string;
  tolerationSeconds?: number;
}): string {
  const noExecute =
    opts.tolerationSeconds === undefined
      ? []
      : ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
          key,
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: opts.tolerationSeconds,
        }));
  const labels = { app: 'zone-outage' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'zone-outage', namespace },
      spec: {
        replicas: opts.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            nodeSelector: {
              ...onSimulatedNodes.nodeSelector,
              [simulatedNodeLabels.zone]: opts.zone,
            },
            tolerations: [...onSimulatedNodes.tolerations, ...noExecute],
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'DoNotSchedule',
                labelSelector: { matchLabels: labels },
              },
            ],
            // never started: kwok plays the pod's lifecycle
            containers: [{ name: 'app', image: opts.image }],
          },
        },
      },
    },
  ]
    .map((d) => stringify(d))
    .join('---\n');
}

export async function deployWorkload(
  kc: KubeConfig,
  api: CoreV1Api,
  opts: Parameters<typeof workloadManifest>[0],
): Promise<V1Pod[]> {
  return log.step(
    `Deploying ${opts.replicas} pods over the simulated nodes of ${opts.zone}`,
    'Workload Running',
    async () => {
      await applyManifest(kc, workloadManifest(opts));
      return waitFor(
        `${opts.replicas} workload pods Running`,
        {
          timeoutMs: Math.max(120_000, opts.replicas * 500),
          intervalMs: 2000,
          progress: (s) => log.info(s),
        },
        async () => {
          const pods = (
            await api.listNamespacedPod({ namespace, labelSelector: workloadSelector })
          ).items.filter((p) => !p.metadata?.deletionTimestamp && p.status?.phase === 'Running');
          return pods.length >= opts.replicas
            ? pods
            : { pending: `${pods.length}/${opts.replicas} Running` };
        },
      );
    },
  );
}
