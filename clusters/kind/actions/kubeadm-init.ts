import { log } from '../../../harness/util/log.ts';
import type { KindNode } from '../node.ts';
import { kindNodeLayout } from '../node-layout.ts';

/**
 * kubeadm init on the control plane. Preflight errors are ignored as kind does: a node container
 * fails checks (swap, kernel modules, system verification) that do not apply to it.
 */
export async function kubeadmInit(node: KindNode): Promise<void> {
  await log.step(`Running kubeadm init on ${node.name}`, `kubeadm init done on ${node.name}`, () =>
    node.exec(
      [
        'kubeadm',
        'init',
        `--config=${kindNodeLayout.paths.kubeadmConfig}`,
        '--skip-token-print',
        '--ignore-preflight-errors=all',
        '--v=1',
      ],
      {
        timeoutMs: 6 * 60_000,
        context: `kubeadm init on ${node.name}`,
      },
    ),
  );
}
