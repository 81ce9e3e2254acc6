import type { KubeConfig } from '@kubernetes/client-node';
import { log } from '../../../harness/util/log.ts';
import { waitFor } from '../../../harness/util/wait-for.ts';
import { core } from '../../kube.ts';
import { cniConfigPath, type NodeCidr, renderCniConfig, routeCommands } from '../cni.ts';
import type { KindNode } from '../node.ts';

/** Pod networking: ptp CNI config per node plus routes between nodes (see cni.ts for why). */
export async function installCni(
  kc: KubeConfig,
  nodes: readonly KindNode[],
  podSubnet: string,
): Promise<void> {
  await log.step('Installing pod networking', 'Pod networking installed', async () => {
    const api = core(kc);
    const cidrs = await waitFor('pod CIDRs on every node', { timeoutMs: 120_000 }, async () => {
      const list = await api.listNode();
      const out: NodeCidr[] = [];
      for (const n of nodes) {
        const podCIDR = list.items.find((i) => i.metadata?.name === n.name)?.spec?.podCIDR;
        if (!podCIDR) return { pending: `${n.name} has no podCIDR yet` };
        out.push({ name: n.name, ip: n.ip, podCIDR });
      }
      return out;
    });
    await Promise.all(
      nodes.map(async (n) => {
        const self = cidrs.find((c) => c.name === n.name)!;
        await n.exec(['sh', '-c', `mkdir -p /etc/cni/net.d && cat > ${cniConfigPath}`], {
          input: renderCniConfig(self.podCIDR),
        });
        await n.exec(['sh', '-c', routeCommands(self, cidrs, podSubnet)]);
      }),
    );
  });
}
