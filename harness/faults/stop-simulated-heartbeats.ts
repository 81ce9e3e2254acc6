import { z } from 'zod';
import type { Fault } from './fault.ts';

const parameters = z
  .object({
    /** The simulated nodes that go silent. */
    nodes: z.array(z.string().min(1)).min(1),
  })
  .strict();

/**
 * Simulated (kwok) nodes stop renewing their leases and posting status, as when their network
 * fails: the simulator lets go of them and the node controller sees them go stale. It acts
 * through the apiserver (the node's heartbeat label), so the target node is the control plane
 * it goes through; recovery hands the nodes back to the simulator, which renews their leases.
 */
export const stopSimulatedHeartbeats: Fault<typeof parameters> = {
  name: 'stop-simulated-heartbeats',
  description:
    'Simulated (kwok) nodes stop renewing their leases and posting status (the simulator lets go of them); recovery hands them back',
  parameters,
  requires: ['destructive'],
  title: (p) => `${p.nodes.length} simulated nodes stop renewing`,
  async inject({ cluster }, params) {
    const simulated = cluster.simulatedNodes;
    if (!simulated)
      throw new Error(`cluster ${cluster.name} has no simulated nodes to stop the heartbeats of`);
    const known = new Set(simulated.nodes.map((n) => n.name));
    const unknown = params.nodes.filter((n) => !known.has(n));
    if (unknown.length)
      throw new Error(`not simulated nodes of ${cluster.name}: ${unknown.join(', ')}`);
    // stopHeartbeats registers its undo on the cleanup stack before it acts
    return simulated.stopHeartbeats(params.nodes);
  },
};
