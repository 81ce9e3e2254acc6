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
});
export type EffectiveConfigEntry = z.infer<typeof EffectiveConfigEntry>;
