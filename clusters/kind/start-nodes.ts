import { log } from '../../harness/util/log.ts';
import { labelKeys } from '../labels.ts';
import type { NodeRole } from '../provider.ts';
import { KindNode } from './node.ts';
import { type StartedNodeContainer, startNodeContainer } from './node-container.ts';

/** One node container to start: what a fresh bring-up and a snapshot restore both know. */
export interface ClusterNodeStart {
  name: string;
  role: NodeRole;
  ip: string;
  containerName: string;
  image: string;
  sysctls?: Record<string, string>;
  ulimits?: readonly { name: string; soft: number; hard: number }[];
  /** A filled volume for /var (a restore); a fresh node gets an anonymous one. */
  varVolume?: string;
}

export interface StartedClusterNodes {
  nodes: KindNode[];
  started: StartedNodeContainer[];
  /** The control plane's API server as published on the host. */
  apiServerUrl: string;
}

/**
 * Starts a cluster's node containers in parallel on its network, labelled with their role and
 * name, the control plane publishing the API server (and the scenario's ports), and returns them
 * as `KindNode`s. Shared by the kubeadm bring-up and the snapshot restore so that both start
 * nodes the same way.
 */
export async function startClusterNodes(opts: {
  nodes: readonly ClusterNodeStart[];
  network: string;
  labels: Record<string, string>;
  apiServerPort: number;
  publishPorts?: readonly number[];
  /** What the log says while the containers start, and once they are up. */
  title: string;
}): Promise<StartedClusterNodes> {
  const started = await log.step(opts.title, 'Node containers up', () =>
    Promise.all(
      opts.nodes.map((n) =>
        startNodeContainer({
          image: n.image,
          name: n.containerName,
          hostname: n.name,
          network: opts.network,
          ip: n.ip,
          labels: { ...opts.labels, [labelKeys.role]: n.role, [labelKeys.node]: n.name },
          sysctls: n.sysctls,
          ulimits: n.ulimits,
          publishApiServer: n.role === 'control-plane' ? opts.apiServerPort : undefined,
          publishPorts: n.role === 'control-plane' ? opts.publishPorts : undefined,
          varVolume: n.varVolume,
        }),
      ),
    ),
  );
  const nodes = opts.nodes.map(
    (n, i) =>
      new KindNode({
        name: n.name,
        role: n.role,
        ip: n.ip,
        containerId: started[i]!.id,
        network: opts.network,
      }),
  );
  const cp = opts.nodes.findIndex((n) => n.role === 'control-plane');
  const hostPort = started[cp]?.apiServerHostPort;
  if (hostPort === undefined) throw new Error('no control-plane node publishes the API server');
  return { nodes, started, apiServerUrl: `https://127.0.0.1:${hostPort}` };
}
