import { z } from 'zod';
import type { Fault } from './fault.ts';

const parameters = z.object({}).strict();

/** The whole node container frozen: connections to its pods hang instead of failing. */
export const pauseNode: Fault<typeof parameters> = {
  name: 'pause-node',
  description:
    'Freeze the whole node (cgroup freezer on its container): connections to its pods hang; recovery unpauses it',
  parameters,
  requires: ['pauseNode', 'destructive'],
  title: () => 'node paused',
  // a container-level primitive only the provider has; it registers its own undo first
  inject: ({ node }) => node.pause(),
};
