import { log } from '../../harness/util/log.ts';
import { removeLabelledUntilGone } from '../clean.ts';

/**
 * Removes a cluster's objects, sweeping again until none is left (at most ~30 s): a container
 * that Docker is still creating or starting when the first sweep runs (Ctrl-C during bring-up)
 * can refuse removal or appear just after the listing.
 */
export async function removeUntilGone(cluster: string): Promise<void> {
  const { left } = await removeLabelledUntilGone({ cluster });
  if (left > 0)
    log.warn(
      `cluster ${cluster} still has ${left} containers after 20 sweeps; run: tuneproof clean --cluster ${cluster}`,
    );
}
