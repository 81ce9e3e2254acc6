import { randomBytes } from 'node:crypto';
import { cleanup } from '../../../harness/util/cleanup.ts';
import { log } from '../../../harness/util/log.ts';
import type { ClusterSpec } from '../../provider.ts';
import { takenSubnets } from '../network.ts';
import type { KindProvider } from '../provider.ts';
import { saveSnapshot } from './save-snapshot.ts';
import { type SnapshotKeyParts, snapshotBytes } from './snapshot-manifest.ts';
import {
  commitSnapshot,
  listSnapshots,
  type StoredSnapshot,
  tidySnapshots,
} from './snapshot-store.ts';
import { pickSnapshotSubnet } from './snapshot-subnet.ts';

/**
 * Makes the snapshot for a key: a fresh kubeadm bring-up of a template cluster (its own name,
 * `tps-<key>-<random>`, whose node names every restore keeps, on a subnet kept for snapshots),
 * saved as soon as it is Ready and read back, then removed. Nothing of a run ever touches it.
 */
export async function buildSnapshot(opts: {
  kind: KindProvider;
  spec: ClusterSpec;
  key: string;
  keyParts: SnapshotKeyParts;
}): Promise<StoredSnapshot> {
  const { key, spec } = opts;
  const name = `tps-${key.slice(0, 8)}-${randomBytes(2).toString('hex')}`;
  const subnet = pickSnapshotSubnet(
    key,
    await takenSubnets(),
    listSnapshots().snapshots.map((s) => s.manifest.network.subnet),
  );
  log.info(
    `Making snapshot ${key.slice(0, 12)} (profile ${spec.profile.name}, ${spec.workers} workers): fresh bring-up of template cluster ${name}`,
  );
  const cluster = await opts.kind.create(
    { runId: spec.runId, name, profile: spec.profile, workers: spec.workers },
    { subnet },
  );
  const removal = cleanup.push(`remove template cluster ${name}`, () => cluster.delete());
  try {
    const { partialDir, manifest } = await saveSnapshot({
      cluster,
      key,
      keyParts: opts.keyParts,
      nodeImage: opts.keyParts.nodeImage,
      subnet,
      freshSeconds: cluster.facts().upSeconds ?? 0,
    });
    const stored = commitSnapshot(partialDir, manifest);
    log.info(
      `Snapshot ${key.slice(0, 12)} saved: ${(snapshotBytes(manifest) / 1e6).toFixed(0)} MB, fresh bring-up ${manifest.freshSeconds.toFixed(1)}s, save ${manifest.saveSeconds.toFixed(1)}s`,
    );
    await removal.run();
    await tidySnapshots(manifest);
    return stored;
  } finally {
    await removal.run();
  }
}
