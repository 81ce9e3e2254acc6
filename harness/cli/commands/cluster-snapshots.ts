import { rmSync } from 'node:fs';
import type { Command } from 'commander';
import {
  listSnapshots,
  removeSnapshot,
  SNAPSHOT_MAX_AGE_MS,
  SNAPSHOT_REPO,
  SNAPSHOT_VOLUME_LABEL,
  snapshotBytes,
  snapshotCapBytes,
  snapshotsDir,
} from '../../../clusters/kind/snapshot/index.ts';
import { exec } from '../../util/exec.ts';
import { formatTable } from '../../util/table.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const age = (iso: string) => {
  const h = (Date.now() - Date.parse(iso)) / 3600_000;
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
};

/** Images in SNAPSHOT_REPO that no snapshot's manifest names (a crashed save's). */
async function orphanImages(referenced: ReadonlySet<string>): Promise<string[]> {
  const r = await exec(
    'docker',
    ['image', 'ls', SNAPSHOT_REPO, '--format', '{{.Repository}}:{{.Tag}}'],
    {
      allowFailure: true,
    },
  );
  return r.stdout
    .split('\n')
    .filter((ref) => ref && !ref.includes('<none>') && !referenced.has(ref));
}

/** /var volumes of snapshots that no manifest names (a killed save's). */
async function orphanVolumes(referenced: ReadonlySet<string>): Promise<string[]> {
  const r = await exec(
    'docker',
    ['volume', 'ls', '-q', '--filter', `label=${SNAPSHOT_VOLUME_LABEL}`],
    { allowFailure: true },
  );
  return r.stdout.split('\n').filter((v) => v && !referenced.has(v));
}

/** `tuneproof cluster snapshots list|clean` (docs/snapshots.md). */
export function registerSnapshotCommands(cluster: Command): void {
  const snapshots = cluster
    .command('snapshots')
    .description('Snapshots of pristine clusters that runs restore instead of running kubeadm');

  snapshots
    .command('list')
    .description('Snapshots in the cache, with their key parts, size and age')
    .option('--json', 'print the manifests as JSON')
    .action(async (opts: { json?: boolean }) => {
      const { snapshots: all, broken } = listSnapshots();
      if (opts.json)
        return out(
          JSON.stringify(
            all.map((s) => s.manifest),
            null,
            2,
          ),
        );
      if (all.length === 0) out(`no snapshots in ${snapshotsDir()}`);
      else
        out(
          formatTable(
            [
              'key',
              'profile',
              'nodes',
              'node image',
              'subnet',
              'size',
              'age',
              'last used',
              'fresh s',
            ],
            all.map(({ manifest: m }) => [
              m.key.slice(0, 12),
              m.keyParts.profile,
              `1+${m.keyParts.workers}`,
              m.keyParts.nodeImage,
              m.network.subnet,
              mb(snapshotBytes(m)),
              age(m.createdAt),
              age(m.lastUsedAt),
              m.freshSeconds.toFixed(0),
            ]),
          ),
        );
      const total = all.reduce((sum, s) => sum + snapshotBytes(s.manifest), 0);
      out(
        `${all.length} snapshots, ${mb(total)} of a ${mb(snapshotCapBytes())} cap (TUNEPROOF_SNAPSHOT_CAP_GB); each is used for ${SNAPSHOT_MAX_AGE_MS / 86400_000} days`,
      );
      if (broken.length)
        out(`${broken.length} unfinished or unreadable: removed by \`snapshots clean\``);
    });

  snapshots
    .command('clean')
    .argument('[keys...]', 'snapshot keys or key prefixes (default: every snapshot)')
    .description('Remove snapshots (their archives and committed images); runs make them again')
    .action(async (keys: string[]) => {
      const { snapshots: all, broken } = listSnapshots();
      const chosen = keys.length
        ? all.filter((s) => keys.some((k) => s.manifest.key.startsWith(k)))
        : all;
      for (const s of chosen) {
        await removeSnapshot(s);
        out(`removed snapshot ${s.manifest.key.slice(0, 12)} (${mb(snapshotBytes(s.manifest))})`);
      }
      if (keys.length === 0) {
        for (const dir of broken) rmSync(dir, { recursive: true, force: true });
        const left = new Set(
          listSnapshots().snapshots.flatMap((s) => s.manifest.nodes.map((n) => n.imageRef)),
        );
        const orphans = await orphanImages(left);
        if (orphans.length)
          await exec('docker', ['image', 'rm', '--force', ...orphans], { allowFailure: true });
        const usedVolumes = new Set(
          listSnapshots().snapshots.flatMap((x) => x.manifest.nodes.map((n) => n.varVolume)),
        );
        const volumes = await orphanVolumes(usedVolumes);
        if (volumes.length)
          await exec('docker', ['volume', 'rm', '--force', ...volumes], { allowFailure: true });
        orphans.push(...volumes);
        if (broken.length || orphans.length)
          out(
            `removed ${broken.length} unfinished snapshot directories, ${orphans.length} orphan images and volumes`,
          );
      }
      if (chosen.length === 0 && keys.length) out(`no snapshot matches ${keys.join(', ')}`);
    });
}
