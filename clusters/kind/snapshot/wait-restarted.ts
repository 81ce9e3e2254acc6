import type { KubeConfig } from '@kubernetes/client-node';
import { log } from '../../../harness/util/log.ts';
import { waitFor } from '../../../harness/util/wait-for.ts';
import { core } from '../../kube.ts';

/**
 * A restored apiserver first serves the statuses the snapshot holds: every node and kube-system
 * pod Ready, as they were when the snapshot was taken. So a restore is Ready only when the
 * cluster says so anew: every node's Ready condition heartbeat since `since`, and every
 * kube-system pod Ready with all of its containers started since `since` (the node containers
 * restarted, so every container did).
 */
export async function waitRestarted(
  kc: KubeConfig,
  nodeNames: readonly string[],
  since: Date,
  timeoutMs = 5 * 60_000,
): Promise<void> {
  const api = core(kc);
  const fresh = (t: Date | string | undefined) =>
    t !== undefined && new Date(t).getTime() >= since.getTime() - 1000;
  await waitFor(
    'nodes and kube-system pods Ready since the restore',
    { timeoutMs, intervalMs: 500, progress: (s) => log.info(s) },
    async () => {
      const nodes = (await api.listNode()).items;
      for (const name of nodeNames) {
        const ready = nodes
          .find((n) => n.metadata?.name === name)
          ?.status?.conditions?.find((c) => c.type === 'Ready');
        if (ready?.status !== 'True' || !fresh(ready.lastHeartbeatTime))
          return { pending: `${name} has not reported Ready since the restore` };
      }
      const pods = (await api.listNamespacedPod({ namespace: 'kube-system' })).items;
      const stale = pods.filter(
        (p) =>
          p.status?.phase !== 'Running' ||
          !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ||
          !(p.status?.containerStatuses ?? []).every(
            (c) => c.ready && fresh(c.state?.running?.startedAt),
          ),
      );
      if (stale.length)
        return {
          pending: `not Ready since the restore: ${stale.map((p) => p.metadata?.name).join(', ')}`,
        };
      return true;
    },
  );
}
