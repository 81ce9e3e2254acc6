import type { NodeRole } from '../provider.ts';

export interface PlannedNode {
  name: string;
  role: NodeRole;
  ip: string;
  containerName: string;
}

export interface ClusterPlan {
  name: string;
  network: { name: string; subnet: string; gateway: string };
  nodes: PlannedNode[];
  podSubnet: string;
  serviceSubnet: string;
}

/**
 * The first 172.30.N.0/24 that overlaps no existing Docker network. A fixed subnet per cluster
 * lets a node disconnected and reconnected keep its IP (kind's network has no user subnet, so
 * there a reconnected node can come back with another address).
 */
export function pickSubnet(taken: readonly string[]): string {
  const used = new Set(taken.map((s) => s.split('/')[0]?.split('.').slice(0, 3).join('.')));
  const overlapsWide = taken.some(
    (s) => /^172\.(30)\.0\.0\/(1[0-6])$/.test(s) || /^172\.16\.0\.0\/12$/.test(s),
  );
  if (overlapsWide)
    throw new Error('a Docker network covers 172.30.0.0/16; cannot pick a cluster subnet');
  for (let n = 0; n < 256; n++) {
    if (!used.has(`172.30.${n}`)) return `172.30.${n}.0/24`;
  }
  throw new Error('no free 172.30.N.0/24 subnet left for a cluster network');
}

/** Names follow kind's: <cluster>-control-plane, <cluster>-worker, <cluster>-worker2, ... */
export function planCluster(name: string, workers: number, subnet: string): ClusterPlan {
  const prefix = subnet.split('/')[0]!.split('.').slice(0, 3).join('.');
  const nodes: PlannedNode[] = [
    {
      name: `${name}-control-plane`,
      role: 'control-plane',
      ip: `${prefix}.10`,
      containerName: `${name}-control-plane`,
    },
  ];
  for (let i = 0; i < workers; i++) {
    const nodeName = `${name}-worker${i === 0 ? '' : i + 1}`;
    nodes.push({
      name: nodeName,
      role: 'worker',
      ip: `${prefix}.${11 + i}`,
      containerName: nodeName,
    });
  }
  return {
    name,
    network: { name: `tuneproof-${name}`, subnet, gateway: `${prefix}.1` },
    nodes,
    podSubnet: '10.244.0.0/16',
    serviceSubnet: '10.96.0.0/16',
  };
}

const clusterNameRe = /^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/;
export function checkClusterName(name: string): string | undefined {
  return clusterNameRe.test(name)
    ? undefined
    : `cluster name "${name}" must be lower-case letters, digits and dashes (at most 32)`;
}
