import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { importedName, PINNED_LABEL } from '../images/preload-images.ts';
import type { KindNode } from './node.ts';

/**
 * Host Docker images into every node's containerd (as `kind load docker-image`), so pods run
 * them with imagePullPolicy IfNotPresent and no registry.
 */
export async function loadKindImages(
  nodes: readonly KindNode[],
  refs: readonly string[],
): Promise<void> {
  await log.step(`Loading ${refs.join(', ')} into ${nodes.length} nodes`, 'Images loaded', () =>
    Promise.all(
      nodes.map((n) =>
        // docker save streams straight into the node's containerd (k8s.io namespace, what the
        // kubelet uses); pinned so image GC never removes what a scenario is about to run
        // (labelled after the import: containerd 1.7's `ctr images import` has no --label)
        exec(
          'sh',
          [
            '-c',
            `docker save ${refs.join(' ')} | docker exec -i ${n.containerId} ctr -n k8s.io images import - && ${refs
              .map(
                (r) =>
                  `docker exec ${n.containerId} ctr -n k8s.io images label ${importedName(r)} ${PINNED_LABEL} >/dev/null`,
              )
              .join(' && ')}`,
          ],
          {
            context: `loading images into ${n.name}`,
            timeoutMs: 10 * 60_000,
          },
        ),
      ),
    ),
  );
}
