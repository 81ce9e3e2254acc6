import { z } from 'zod';

/**
 * One knob of a profile as read back from a running cluster: desired, observed, and whether it
 * took. One entry per node for per-node knobs.
 */
export const EffectiveConfigEntry = z.object({
  component: z.string(),
  key: z.string(),
  scope: z.enum(['cluster', 'per-node', 'host-global']),
  /** The node it was read on, for per-node knobs. */
  node: z.string().optional(),
  desired: z.unknown(),
  observed: z.unknown().optional(),
  status: z.enum(['applied', 'differs', 'not-applicable', 'unverified']),
  note: z.string().optional(),
  /**
   * A per-node knob as the node's pods see it, where that can differ from the node: a
   * network-namespaced sysctl in a pod's own network namespace (a new netns starts from the
   * kernel's defaults, not the node's values), a ulimit of a pod's process.
   */
  inPods: z
    .object({
      observed: z.unknown().optional(),
      status: z.enum(['applied', 'differs', 'unverified']),
      note: z.string().optional(),
    })
    .optional(),
});
export type EffectiveConfigEntry = z.infer<typeof EffectiveConfigEntry>;
