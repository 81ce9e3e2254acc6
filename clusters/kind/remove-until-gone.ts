import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { listLabelledClusters, removeLabelled } from '../clean.ts';

/**
 * Removes a cluster's objects, sweeping again until none is left (at most ~30 s): a container
 * that Docker is still creating or starting when the first sweep runs (Ctrl-C during bring-up)
 * can refuse removal or appear just after the listing.
 */
export async function removeUntilGone(cluster: string): Promise<void> {
  for (let sweep = 0; sweep < 20; sweep++) {
    await removeLabelled({ cluster });
    await sleep(1500);
    const left = await listLabelledClusters();
    if (!left.some((c) => c.cluster === cluster)) {
      // networks go after their containers; one more pass for a network left by a late container
      await removeLabelled({ cluster });
      return;
    }
  }
  log.warn(
    `cluster ${cluster} still has containers after 20 sweeps; run: tuneproof clean --cluster ${cluster}`,
  );
}
