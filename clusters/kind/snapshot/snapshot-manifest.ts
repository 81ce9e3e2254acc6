import { z } from 'zod';
import { EffectiveConfigEntry } from '../../../harness/profiles/index.ts';

/** What a snapshot's key is made of; any part changing makes a new key (and a new snapshot). */
export const SnapshotKeyParts = z.object({
  /** The node image's Docker image id (its content digest). */
  nodeImageId: z.string(),
  nodeImage: z.string(),
  profile: z.string(),
  profileDigest: z.string(),
  controlPlanes: z.number().int(),
  workers: z.number().int(),
  privileged: z.boolean(),
  /** Digest of the bring-up and restore code plus SNAPSHOT_RECIPE_VERSION (snapshot-key.ts). */
  recipe: z.string(),
});
export type SnapshotKeyParts = z.infer<typeof SnapshotKeyParts>;

export const SnapshotNode = z.object({
  /** Kubernetes node name (the template cluster's), kept by every restore. */
  name: z.string(),
  role: z.enum(['control-plane', 'worker']),
  ip: z.string(),
  /** Suffix of the container name: `control-plane`, `worker`, `worker2`... */
  suffix: z.string(),
  podCIDR: z.string(),
  /** The committed node container (its root filesystem without /var). */
  imageId: z.string(),
  imageRef: z.string(),
  /** Docker volume holding the node's /var, unpacked (var-tree.ts says why not the cache). */
  varVolume: z.string(),
  varBytes: z.number(),
  imageLayerBytes: z.number(),
  sysctls: z.record(z.string(), z.string()),
  ulimits: z.array(z.object({ name: z.string(), soft: z.number(), hard: z.number() })),
  /** `key:effect` of each taint the pristine node had. */
  taints: z.array(z.string()),
});
export type SnapshotNode = z.infer<typeof SnapshotNode>;

export const SnapshotManifest = z.object({
  format: z.literal(3),
  key: z.string(),
  keyParts: SnapshotKeyParts,
  createdAt: z.string(),
  lastUsedAt: z.string(),
  /** Name of the cluster the snapshot was taken from (in node names and certificates). */
  templateCluster: z.string(),
  network: z.object({ subnet: z.string(), gateway: z.string() }),
  podSubnet: z.string(),
  serviceSubnet: z.string(),
  apiServerPort: z.number().int(),
  nodes: z.array(SnapshotNode).min(1),
  /** The read-back of the template cluster: every restore must read back the same. */
  effectiveConfig: z.array(EffectiveConfigEntry),
  /**
   * Bootstrap tokens (kube-system Secret names) with the lifetime kubeadm gave them: the
   * snapshot holds them unexpired; a restore sets them to expire `ttlSeconds` after it, as on a
   * fresh cluster.
   */
  bootstrapTokens: z.array(z.object({ secret: z.string(), ttlSeconds: z.number() })),
  /** Seconds the template's fresh bring-up and the save took. */
  freshSeconds: z.number(),
  saveSeconds: z.number(),
});
export type SnapshotManifest = z.infer<typeof SnapshotManifest>;

/** Bytes on disk: the /var trees plus the committed layers (the node image is shared). */
export function snapshotBytes(m: SnapshotManifest): number {
  return m.nodes.reduce((sum, n) => sum + n.varBytes + n.imageLayerBytes, 0);
}
