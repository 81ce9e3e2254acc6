import type { z } from 'zod';
import type { Capabilities, Cluster, NodeHandle } from '../../clusters/provider.ts';
import type { Undo } from '../util/cleanup.ts';

/** Where a fault acts: one node of a cluster (the cluster for what the fault needs to know). */
export interface FaultTarget {
  readonly cluster: Cluster;
  readonly node: NodeHandle;
}

/**
 * A fault plugin (krkn's scenario with rollback, clusterloader2's chaos plugins): a name, typed
 * parameters, the provider capabilities it needs, and `inject()`, which registers the fault's
 * undo on the cleanup stack *before* it acts and returns that undo. Scenarios inject through
 * `withFault`, which writes the fault window to the timeline and always recovers.
 */
export interface Fault<S extends z.ZodType = z.ZodType> {
  /** kebab-case, unique in the registry (harness/faults/index.ts). */
  readonly name: string;
  /** What it does and how it is undone, one sentence, for docs and `--help`. */
  readonly description: string;
  readonly parameters: S;
  /** Capabilities the cluster must have; every fault needs `destructive`. */
  readonly requires: readonly (keyof Capabilities)[];
  /** The fault window's name on the timeline (the node's name is appended). */
  title(params: z.infer<S>): string;
  inject(target: FaultTarget, params: z.infer<S>): Promise<Undo>;
}
