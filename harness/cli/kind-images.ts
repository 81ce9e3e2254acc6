import { inspectImage } from '../../clusters/images/docker-image.ts';
import { NODE_IMAGE } from '../../clusters/images/node-image.ts';
import { KUBERNETES_VERSION } from '../../clusters/images/versions.ts';
import { KindProvider } from '../../clusters/kind/provider.ts';
import { TuneproofError } from '../errors.ts';

/**
 * The kind provider with the node image this machine has: tuneproof's own (built by
 * `tuneproof images build`) unless TUNEPROOF_NODE_IMAGE names another (e.g. kindest/node).
 */
export async function kindProviderFromImages(): Promise<KindProvider> {
  const ref = process.env.TUNEPROOF_NODE_IMAGE ?? NODE_IMAGE;
  const info = await inspectImage(ref);
  if (!info)
    throw new TuneproofError(
      `node image ${ref} is not on this machine: run \`tuneproof images build\` first`,
    );
  return new KindProvider({
    nodeImage: ref,
    kubernetesVersion: KUBERNETES_VERSION,
    images: [
      {
        role: 'node',
        ref,
        digest: info.id,
        source: ref.startsWith('kindest/') ? 'official' : 'tuneproof',
      },
    ],
  });
}
