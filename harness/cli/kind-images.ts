import { resolveImages } from '../../clusters/images/index.ts';
import { KUBERNETES_VERSION } from '../../clusters/images/versions.ts';
import { RestoringProvider } from '../../clusters/kind/snapshot/index.ts';
import type { WorkloadImages } from '../scenario/types.ts';

/**
 * The kind provider with the images this machine has or can get (TUNEPROOF_IMAGES: auto,
 * official, tuneproof; see clusters/images/index.ts), and the workload images scenarios run.
 * TUNEPROOF_NODE_IMAGE overrides the node image alone. Clusters are restored from snapshots
 * (docs/snapshots.md) when `fresh` is false, or left out and TUNEPROOF_RESTORE=1 (kubeadm
 * otherwise, until restore has been measured on real clusters).
 */
export async function kindProviderFromImages(opts: { fresh?: boolean } = {}): Promise<{
  provider: RestoringProvider;
  images: WorkloadImages;
}> {
  const resolved = await resolveImages();
  const nodeImage = process.env.TUNEPROOF_NODE_IMAGE ?? resolved.nodeImage;
  const provider = new RestoringProvider({
    nodeImage,
    kubernetesVersion: KUBERNETES_VERSION,
    images: resolved.records.map((r) =>
      r.role === 'node' && nodeImage !== r.ref ? { ...r, ref: nodeImage, digest: undefined } : r,
    ),
    fresh: opts.fresh ?? process.env.TUNEPROOF_RESTORE !== '1',
  });
  return { provider, images: resolved.workloads };
}
