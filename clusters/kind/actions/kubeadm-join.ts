import { log } from '../../../harness/util/log.ts';
import type { KindNode } from '../node.ts';
import { kindNodeLayout } from '../node-layout.ts';

/** kubeadm join on every worker, in parallel (as kind does). */
export async function kubeadmJoin(workers: readonly KindNode[]): Promise<void> {
  if (workers.length === 0) return;
  await log.step(
    `Joining ${workers.length} worker${workers.length > 1 ? 's' : ''}`,
    'Workers joined',
    () =>
      Promise.all(
        workers.map((w) =>
          w.exec(
            [
              'kubeadm',
              'join',
              `--config=${kindNodeLayout.paths.kubeadmConfig}`,
              '--ignore-preflight-errors=all',
              '--v=1',
            ],
            {
              timeoutMs: 5 * 60_000,
              context: `kubeadm join on ${w.name}`,
            },
          ),
        ),
      ),
  );
}
