import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SnapshotKeyParts } from './snapshot-manifest.ts';

/**
 * Bumped by hand when something outside the hashed sources changes what a pristine cluster
 * holds (e.g. the node image's entrypoint semantics that the image digest does not capture).
 */
export const SNAPSHOT_RECIPE_VERSION = 1;

const repoRoot = join(import.meta.dirname, '../../..');

/**
 * The sources that decide what a pristine cluster holds and how it is checked: the kind
 * provider (bring-up actions, node containers, CNI, this snapshot code), profile rendering and
 * the read-back. Hashing them, rather than trusting a version number someone must remember to
 * bump, means a change to bring-up can never be answered with a cluster made by the old code.
 */
export const recipeSources = ['clusters/kind', 'harness/profiles', 'clusters/readback.ts'];

function tsFiles(path: string): string[] {
  const abs = join(repoRoot, path);
  if (abs.endsWith('.ts')) return [abs];
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

let recipe: string | undefined;

/** sha256 over SNAPSHOT_RECIPE_VERSION and every recipe source (path and content), sorted. */
export function recipeDigest(): string {
  if (recipe) return recipe;
  const h = createHash('sha256').update(`recipe ${SNAPSHOT_RECIPE_VERSION}\n`);
  const files = recipeSources.flatMap(tsFiles).sort();
  for (const f of files) h.update(`${relative(repoRoot, f)}\n`).update(readFileSync(f));
  recipe = h.digest('hex');
  return recipe;
}

/** The snapshot key: sha256 of the key parts in a fixed field order. */
export function snapshotKey(parts: SnapshotKeyParts): string {
  const ordered = [
    parts.nodeImageId,
    parts.profileDigest,
    `${parts.controlPlanes}cp+${parts.workers}w`,
    parts.privileged ? 'privileged' : 'unprivileged',
    parts.recipe,
  ];
  return createHash('sha256').update(ordered.join('\n')).digest('hex');
}

/** What changed between two key parts (for "snapshot invalidated because ..."). */
export function keyChanges(old: SnapshotKeyParts, now: SnapshotKeyParts): string[] {
  const out: string[] = [];
  if (old.nodeImageId !== now.nodeImageId) out.push('node image');
  if (old.profileDigest !== now.profileDigest) out.push('profile');
  if (old.workers !== now.workers || old.controlPlanes !== now.controlPlanes) out.push('topology');
  if (old.privileged !== now.privileged) out.push('privileged mode');
  if (old.recipe !== now.recipe) out.push('recipe');
  return out;
}
