/**
 * Pod networking without a CNI image: kindnetd cannot be built offline (its Go module is not on
 * the module proxy), so tuneproof does what kindnetd does, from outside. Each node gets a ptp +
 * host-local CNI config for its own podCIDR (Debian's CNI plugins are in the node image), a
 * route to every other node's podCIDR via that node's IP (all nodes share one Docker network,
 * so they are one hop apart), and a masquerade rule for traffic leaving the pod network.
 */
export interface NodeCidr {
  name: string;
  ip: string;
  podCIDR: string;
}

export const cniConfigPath = '/etc/cni/net.d/10-tuneproof.conflist';

export function renderCniConfig(podCIDR: string, mtu = 1500): string {
  const config = {
    cniVersion: '0.4.0',
    name: 'tuneproof',
    plugins: [
      {
        type: 'ptp',
        ipMasq: false,
        mtu,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: podCIDR }]],
          routes: [{ dst: '0.0.0.0/0' }],
          dataDir: '/run/cni-ipam-state',
        },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Shell commands (run with `sh -c`) that give `self` routes to every other node's pods. */
export function routeCommands(
  self: NodeCidr,
  all: readonly NodeCidr[],
  clusterPodSubnet: string,
): string {
  const lines = all
    .filter((n) => n.name !== self.name)
    .map((n) => `ip route replace ${n.podCIDR} via ${n.ip}`);
  // pods reach the outside (and node IPs) with the node's address; pod-to-pod keeps pod IPs
  const rule = `POSTROUTING -s ${clusterPodSubnet} ! -d ${clusterPodSubnet} -m comment --comment tuneproof-masq -j MASQUERADE`;
  lines.push(`iptables -t nat -C ${rule} 2>/dev/null || iptables -t nat -A ${rule}`);
  return lines.join(' && ');
}
