import { z } from 'zod';
import type { Fault } from './fault.ts';

const parameters = z.object({}).strict();

/** The node leaves the cluster network (its pods with it); recovery reconnects it, same IP. */
export const networkDisconnect: Fault<typeof parameters> = {
  name: 'network-disconnect',
  description:
    'Disconnect the node from the cluster network (its pods are cut off too); recovery reconnects it with the same IP and routes',
  parameters,
  requires: ['partitionNode', 'destructive'],
  title: () => 'network partition',
  // a container-level primitive only the provider has; it registers its own undo first
  inject: ({ node }) => node.disconnect(),
};
