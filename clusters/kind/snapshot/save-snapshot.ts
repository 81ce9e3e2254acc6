import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../../harness/util/exec.ts';
import { log } from '../../../harness/util/log.ts';
import { docker } from '../../docker.ts';
import { core } from '../../kube.ts';
import type { KindCluster } from '../cluster.ts';
import type { KindNode } from '../node.ts';
import { planCluster } from '../plan.ts';
import { apiServerPort } from '../provider.ts';
import { quiesce } from './quiesce.ts';
import type { SnapshotKeyParts, SnapshotManifest, SnapshotNode } from './snapshot-manifest.ts';
import { SNAPSHOT_MAX_AGE_MS, SNAPSHOT_REPO, snapshotsDir } from './snapshot-store.ts';
import { saveVarTree } from './var-tree.ts';

async function imageSize(ref: string): Promise<number> {
  const r = await exec('docker', ['image', 'inspect', '--format', '{{.Size}}', ref]);
  return Number(r.stdout.trim());
}

/**
 * Saves a pristine cluster (just brought up, nothing run on it) as a snapshot and leaves its
 * node containers stopped: the cluster is quiesced (quiesce.ts), its node containers stopped
 * cleanly (systemd's shutdown: containerd and etcd flush and exit), then per node the root
 * filesystem is committed as an image and /var (a volume, which a commit leaves out) is
 * unpacked into a volume of its own from a helper container that mounts the stopped node's
 * volumes (var-tree.ts).
 */
export async function saveSnapshot(opts: {
  cluster: KindCluster;
  key: string;
  keyParts: SnapshotKeyParts;
  nodeImage: string;
  subnet: string;
  freshSeconds: number;
}): Promise<{ partialDir: string; manifest: SnapshotManifest }> {
  const { cluster, key } = opts;
  const t0 = performance.now();
  const kc = cluster.kubeConfig();
  const nodes = cluster.nodes as readonly KindNode[];
  const api = core(kc);
  const listed = (await api.listNode()).items;
  const info = new Map(
    listed.map((n) => [
      n.metadata!.name!,
      {
        podCIDR: n.spec?.podCIDR ?? '',
        taints: (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort(),
      },
    ]),
  );
  const createdAt = new Date();
  const bootstrapTokens = await log.step(
    `Quiescing cluster ${cluster.name} for its snapshot`,
    'Quiesced',
    () => quiesce(kc, nodes, new Date(createdAt.getTime() + SNAPSHOT_MAX_AGE_MS + 24 * 3600_000)),
  );
  const d = await docker();
  await log.step(`Stopping ${nodes.length} node containers`, 'Node containers stopped', () =>
    Promise.all(nodes.map((n) => d.getContainer(n.containerId).stop({ t: 60 }))),
  );
  const build = randomBytes(3).toString('hex');
  const partialDir = join(snapshotsDir(), `.partial-${key.slice(0, 12)}-${build}`);
  mkdirSync(partialDir, { recursive: true });
  const baseSize = await imageSize(opts.nodeImage);
  const committedRefs: string[] = [];
  const savedVolumes: string[] = [];
  try {
    const saved = await log.step(
      `Saving ${nodes.length} nodes (root filesystem as an image, /var as an archive)`,
      'Nodes saved',
      () =>
        Promise.all(
          nodes.map(async (n): Promise<SnapshotNode> => {
            const suffix = n.name.slice(cluster.name.length + 1);
            const container = d.getContainer(n.containerId);
            const host = (await container.inspect()).HostConfig;
            const tag = `${key.slice(0, 12)}-${suffix}-${build}`;
            const committed = (await container.commit({
              repo: SNAPSHOT_REPO,
              tag,
              comment: `tuneproof snapshot ${key} node ${suffix}`,
              // listed by `images list` as a snapshot, not as the node image it inherits labels from
              changes: 'LABEL dev.tuneproof.image-kind=snapshot',
            })) as { Id: string };
            const imageRef = `${SNAPSHOT_REPO}:${tag}`;
            committedRefs.push(imageRef);
            const varVolume = `tuneproof-snapshot-${key.slice(0, 12)}-${build}-${suffix}`;
            savedVolumes.push(varVolume);
            const varBytes = await saveVarTree({
              containerId: n.containerId,
              image: imageRef,
              volume: varVolume,
              key,
              context: `saving /var of ${n.name}`,
            });
            return {
              name: n.name,
              role: n.role,
              ip: n.ip,
              suffix,
              podCIDR: info.get(n.name)?.podCIDR ?? '',
              imageId: committed.Id,
              imageRef,
              varVolume,
              varBytes,
              imageLayerBytes: Math.max(0, (await imageSize(imageRef)) - baseSize),
              sysctls: (host.Sysctls as Record<string, string> | undefined) ?? {},
              ulimits: (host.Ulimits ?? []).map((u) => ({
                name: u.Name ?? '',
                soft: u.Soft ?? 0,
                hard: u.Hard ?? 0,
              })),
              taints: info.get(n.name)?.taints ?? [],
            };
          }),
        ),
    );
    const plan = planCluster(cluster.name, nodes.length - 1, opts.subnet);
    const manifest: SnapshotManifest = {
      format: 3,
      key,
      keyParts: opts.keyParts,
      createdAt: createdAt.toISOString(),
      lastUsedAt: createdAt.toISOString(),
      templateCluster: cluster.name,
      network: { subnet: plan.network.subnet, gateway: plan.network.gateway },
      podSubnet: plan.podSubnet,
      serviceSubnet: plan.serviceSubnet,
      apiServerPort,
      nodes: saved,
      effectiveConfig: [...cluster.effectiveConfig()],
      bootstrapTokens,
      freshSeconds: opts.freshSeconds,
      saveSeconds: (performance.now() - t0) / 1000,
    };
    return { partialDir, manifest };
  } catch (e) {
    // nothing half-made stays behind: the archives so far and the images committed so far
    rmSync(partialDir, { recursive: true, force: true });
    if (committedRefs.length)
      await exec('docker', ['image', 'rm', '--force', ...committedRefs], { allowFailure: true });
    if (savedVolumes.length)
      await exec('docker', ['volume', 'rm', '--force', ...savedVolumes], { allowFailure: true });
    throw e;
  }
}
