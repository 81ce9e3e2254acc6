import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { exec } from '../../../harness/util/exec.ts';
import { log } from '../../../harness/util/log.ts';
import { cacheDir } from '../../images/cache-dir.ts';
import { SnapshotManifest, snapshotBytes } from './snapshot-manifest.ts';

/**
 * Snapshots live in tuneproof's cache directory (outside any checkout, shared by worktrees):
 * `<cache>/snapshots/<key>/manifest.json`; each node's root filesystem is a committed Docker image
 * (`tuneproof/snapshot:<key12>-<suffix>-<build>`) on top of the node image and its /var a Docker
 * volume (`tuneproof-snapshot-<key12>-<build>-<suffix>`, see var-tree.ts for why not the cache).
 */
export const SNAPSHOT_REPO = 'tuneproof/snapshot';

/**
 * How old a snapshot may get. Its certificates are valid for a year (kubeadm's default) and a
 * restore re-dates its bootstrap tokens, so age alone does not make it differ from a fresh
 * cluster; the bound keeps the 1-year certificates far from kubelet's rotation point (70-90% of
 * their life) and lets an old snapshot give way to a new bring-up now and then.
 */
export const SNAPSHOT_MAX_AGE_MS = 7 * 24 * 3600_000;

/** Disk cap for all snapshots together (TUNEPROOF_SNAPSHOT_CAP_GB, default 20 GB). */
export function snapshotCapBytes(env: NodeJS.ProcessEnv = process.env): number {
  const gb = Number(env.TUNEPROOF_SNAPSHOT_CAP_GB ?? '20');
  return (Number.isFinite(gb) && gb > 0 ? gb : 20) * 1e9;
}

export function snapshotsDir(): string {
  return join(cacheDir(), 'snapshots');
}

export interface StoredSnapshot {
  dir: string;
  manifest: SnapshotManifest;
}

/** Every readable snapshot; unreadable directories (a crashed build's) are listed apart. */
export function listSnapshots(): { snapshots: StoredSnapshot[]; broken: string[] } {
  const root = snapshotsDir();
  if (!existsSync(root)) return { snapshots: [], broken: [] };
  const snapshots: StoredSnapshot[] = [];
  const broken: string[] = [];
  for (const name of readdirSync(root)) {
    const dir = join(root, name);
    try {
      const manifest = SnapshotManifest.parse(
        JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')),
      );
      snapshots.push({ dir, manifest });
    } catch {
      broken.push(dir);
    }
  }
  return { snapshots, broken };
}

export function readSnapshot(key: string): StoredSnapshot | undefined {
  return listSnapshots().snapshots.find((s) => s.manifest.key === key);
}

/** Why a stored snapshot may not be used (too old, an image gone), or undefined. */
export async function snapshotUnusable(
  s: StoredSnapshot,
  now = Date.now(),
): Promise<string | undefined> {
  const ageMs = now - Date.parse(s.manifest.createdAt);
  if (!(ageMs < SNAPSHOT_MAX_AGE_MS))
    return `it is ${(ageMs / 86400_000).toFixed(1)} days old (at most ${SNAPSHOT_MAX_AGE_MS / 86400_000})`;
  for (const n of s.manifest.nodes) {
    const v = await exec('docker', ['volume', 'inspect', n.varVolume], { allowFailure: true });
    if (v.exitStatus !== 0) return `its /var volume for ${n.suffix} is gone from Docker`;
    const r = await exec('docker', ['image', 'inspect', '--format', '{{.Id}}', n.imageRef], {
      allowFailure: true,
    });
    if (r.exitStatus !== 0) return `its image for ${n.suffix} is gone from Docker`;
    if (r.stdout.trim() !== n.imageId) return `its image for ${n.suffix} was replaced`;
  }
  return undefined;
}

/** Writes a snapshot built in `partialDir` under its key, atomically (rename). */
export function commitSnapshot(partialDir: string, manifest: SnapshotManifest): StoredSnapshot {
  writeFileSync(join(partialDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const dir = join(snapshotsDir(), manifest.key);
  // a concurrent build of the same key may have finished first: the newer one wins
  rmSync(dir, { recursive: true, force: true });
  renameSync(partialDir, dir);
  return { dir, manifest };
}

export function touchSnapshot(s: StoredSnapshot): void {
  const manifest = { ...s.manifest, lastUsedAt: new Date().toISOString() };
  writeFileSync(join(s.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Removes a snapshot's committed images and its directory. */
export async function removeSnapshot(s: StoredSnapshot): Promise<void> {
  const refs = s.manifest.nodes.map((n) => n.imageRef);
  await exec('docker', ['image', 'rm', '--force', ...refs], { allowFailure: true });
  const volumes = s.manifest.nodes.map((n) => n.varVolume);
  await exec('docker', ['volume', 'rm', '--force', ...volumes], { allowFailure: true });
  rmSync(s.dir, { recursive: true, force: true });
}

/**
 * Which snapshots to remove so that the rest fit in `capBytes`: least recently used first,
 * never `keep` (the one a run is about to use).
 */
export function snapshotsToPrune(
  all: readonly SnapshotManifest[],
  capBytes: number,
  keep?: string,
): SnapshotManifest[] {
  let total = all.reduce((sum, m) => sum + snapshotBytes(m), 0);
  const out: SnapshotManifest[] = [];
  const byAge = [...all]
    .filter((m) => m.key !== keep)
    .sort((a, b) => Date.parse(a.lastUsedAt) - Date.parse(b.lastUsedAt));
  for (const m of byAge) {
    if (total <= capBytes) break;
    out.push(m);
    total -= snapshotBytes(m);
  }
  return out;
}

/**
 * Snapshots a new one replaces: same profile (by name), topology and privilege, another key (the
 * node image, the profile's content or the recipe changed). They could never be used again.
 */
export function supersededBy(
  all: readonly SnapshotManifest[],
  fresh: SnapshotManifest,
): SnapshotManifest[] {
  const p = fresh.keyParts;
  return all.filter(
    (m) =>
      m.key !== fresh.key &&
      m.keyParts.profile === p.profile &&
      m.keyParts.workers === p.workers &&
      m.keyParts.controlPlanes === p.controlPlanes &&
      m.keyParts.privileged === p.privileged,
  );
}

/**
 * After a build: drop what the new snapshot supersedes, unfinished builds older than an hour
 * (a killed save's), then prune to the cap.
 */
export async function tidySnapshots(fresh: SnapshotManifest): Promise<void> {
  const { snapshots, broken } = listSnapshots();
  for (const dir of broken)
    if (Date.now() - statSync(dir).mtimeMs > 3600_000)
      rmSync(dir, { recursive: true, force: true });
  for (const old of supersededBy(
    snapshots.map((s) => s.manifest),
    fresh,
  )) {
    const s = snapshots.find((x) => x.manifest.key === old.key)!;
    log.info(`Removing snapshot ${old.key.slice(0, 12)} (replaced by ${fresh.key.slice(0, 12)})`);
    await removeSnapshot(s);
  }
  const left = listSnapshots().snapshots;
  for (const m of snapshotsToPrune(
    left.map((s) => s.manifest),
    snapshotCapBytes(),
    fresh.key,
  )) {
    log.info(`Removing snapshot ${m.key.slice(0, 12)}: snapshots exceed the cap`);
    await removeSnapshot(left.find((s) => s.manifest.key === m.key)!);
  }
}
