import type { KubeConfig } from '@kubernetes/client-node';
import { log } from '../../../harness/util/log.ts';
import { waitFor } from '../../../harness/util/wait-for.ts';
import { core } from '../../kube.ts';

/** Every node Ready and every kube-system pod Running and Ready (CoreDNS included). */
export async function waitReady(
  kc: KubeConfig,
  nodeNames: readonly string[],
  timeoutMs = 5 * 60_000,
  /** How often to look (a restore, being quick, is looked at more often). */
  intervalMs = 2000,
): Promise<void> {
  const api = core(kc);
  await log.step(
    `Waiting <= ${Math.round(timeoutMs / 1000)}s for ${nodeNames.length} nodes and kube-system Ready`,
    'Cluster Ready',
    () =>
      waitFor(
        'nodes and kube-system pods Ready',
        { timeoutMs, intervalMs, progress: (s) => log.info(s) },
        async () => {
          const nodes = (await api.listNode()).items;
          const notReady = nodeNames.filter((name) => {
            const n = nodes.find((i) => i.metadata?.name === name);
            return n?.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True';
          });
          if (notReady.length) return { pending: `not Ready: ${notReady.join(', ')}` };
          const pods = (await api.listNamespacedPod({ namespace: 'kube-system' })).items;
          const pending = pods.filter(
            (p) =>
              p.status?.phase !== 'Running' ||
              !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          );
          if (pending.length)
            return {
              pending: `kube-system pods not Ready: ${pending.map((p) => p.metadata?.name).join(', ')}`,
            };
          if (!pods.some((p) => p.metadata?.name?.startsWith('coredns')))
            return { pending: 'no CoreDNS pod yet' };
          return true;
        },
      ),
  );
}
