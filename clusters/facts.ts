import { z } from 'zod';

/** An image a cluster ran (node image, workload images), by reference and digest. */
export const ImageRef = z.object({
  role: z.string(),
  ref: z.string(),
  digest: z.string().optional(),
  source: z.enum(['official', 'tuneproof']),
});

/** What a provider says about the cluster it made or reached. */
export const ClusterFacts = z.object({
  provider: z.string(),
  name: z.string(),
  kubernetesVersion: z.string().optional(),
  nodes: z.array(z.object({ name: z.string(), role: z.string(), ip: z.string().optional() })),
  images: z.array(ImageRef).default([]),
  upSeconds: z.number().optional(),
  /** How the cluster came up: kubeadm (fresh) or restored from a snapshot, and the times. */
  bringUp: z
    .object({
      mode: z.enum(['fresh', 'restore']),
      /** Seconds to a Ready (and, restored, checked) cluster for this run, snapshot build included. */
      seconds: z.number(),
      /** The snapshot's key (first 12 hex digits), when restored. */
      snapshot: z.string().optional(),
      /** Seconds this run spent making the snapshot first (fresh bring-up and save). */
      snapshotBuildSeconds: z.number().optional(),
      /** Seconds from the restore's start to every node and kube-system pod Ready. */
      restoreSeconds: z.number().optional(),
      /** Seconds the restored cluster's check took. */
      checkSeconds: z.number().optional(),
      /** What happened on the way (a snapshot discarded, a fallback to kubeadm). */
      notes: z.array(z.string()).default([]),
    })
    .optional(),
  /** Simulated (kwok) nodes beside the real ones: count, zones, the stages played, cadence. */
  simulatedNodes: z
    .object({
      count: z.number(),
      zones: z.number(),
      simulator: z.string(),
      kwokVersion: z.string(),
      cadence: z.record(z.string(), z.number()),
      stages: z.array(
        z.object({ name: z.string(), does: z.string(), delaySeconds: z.number().optional() }),
      ),
      readySeconds: z.number(),
    })
    .optional(),
});
export type ClusterFacts = z.infer<typeof ClusterFacts>;
export type ImageRef = z.infer<typeof ImageRef>;
