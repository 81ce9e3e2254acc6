/**
 * The few Docker image operations the offline image builders share: look an image up, build one
 * from a generated local context, and decide whether a build is needed at all.
 *
 * Idempotence rests on one label: every image tuneproof builds carries `dev.tuneproof.recipe`, a
 * hash of everything that went into it (Dockerfile text, file contents, base image id). A build
 * whose tag already exists with the same recipe is skipped, so a warm `images build` only
 * inspects images.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import {
  chmod,
  copyFile,
  link,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { TuneproofError } from '../../harness/errors.ts';
import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { cacheDir } from './cache-dir.ts';

/** Labels on every Docker object tuneproof makes; cleanup finds them by `dev.tuneproof.tool`. */
export const TOOL_LABEL = 'dev.tuneproof.tool';
export const TOOL_NAME = 'tuneproof';
export const RECIPE_LABEL = 'dev.tuneproof.recipe';
/** What kind of image it is (node, rootfs, control-plane, workload), for `images list`. */
export const KIND_LABEL = 'dev.tuneproof.image-kind';

export interface ImageInfo {
  ref: string;
  /** Docker's image id (sha256 of the image config): the digest we record for local images. */
  id: string;
  labels: Record<string, string>;
  /** Uncompressed size in bytes as Docker reports it. */
  size: number;
  repoDigests: string[];
}

/** The image behind `ref`, or undefined when Docker has no such image. */
export async function inspectImage(ref: string): Promise<ImageInfo | undefined> {
  const res = await exec('docker', ['image', 'inspect', '--format', '{{json .}}', ref], {
    allowFailure: true,
  });
  if (res.exitStatus !== 0) return undefined;
  const raw = JSON.parse(res.stdout) as {
    Id: string;
    Size: number;
    RepoDigests: string[] | null;
    Config: { Labels: Record<string, string> | null } | null;
  };
  return {
    ref,
    id: raw.Id,
    labels: raw.Config?.Labels ?? {},
    size: raw.Size,
    repoDigests: raw.RepoDigests ?? [],
  };
}

/** The image if it exists and was built from exactly this recipe. */
export async function upToDate(ref: string, recipe: string): Promise<ImageInfo | undefined> {
  const info = await inspectImage(ref);
  return info?.labels[RECIPE_LABEL] === recipe ? info : undefined;
}

// Hashing the ~600 MB of binaries that go into the images takes seconds; remembering each
// result per (path, size, mtime), in memory and in a small file in the cache dir, keeps a warm
// `images build` to image inspections.
let fileHashes: Map<string, string> | undefined;
const hashMemoFile = () => join(cacheDir(), 'file-hashes.json');

async function memo(): Promise<Map<string, string>> {
  if (!fileHashes) {
    const saved = await readFile(hashMemoFile(), 'utf8').then(
      (t) => JSON.parse(t) as Record<string, string>,
      () => ({}),
    );
    fileHashes = new Map(Object.entries(saved));
  }
  return fileHashes;
}

export async function hashFile(path: string): Promise<string> {
  const st = await stat(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  const known = (await memo()).get(key);
  if (known) return known;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  const digest = h.digest('hex');
  const m = await memo();
  m.set(key, digest);
  // Only what still exists is kept; a lost write just means hashing again next time.
  const live = [...m].filter(([k]) => existsSync(k.split('\0')[0] ?? ''));
  await mkdir(cacheDir(), { recursive: true });
  await writeFile(hashMemoFile(), JSON.stringify(Object.fromEntries(live))).catch(() => undefined);
  return digest;
}

/** A file of a build context: literal content, or a host file (linked, not copied, when possible). */
export type ContextFile =
  | { path: string; content: string | Buffer; mode?: number }
  | { path: string; source: string; mode?: number };

export interface ImageRecipe {
  tag: string;
  /** Dockerfile text; `FROM` of a local image should name it by id so the recipe hash covers it. */
  dockerfile: string;
  files: readonly ContextFile[];
  /** Extra labels (the tool and recipe labels are added). */
  labels?: Record<string, string>;
  /** Anything else the result depends on (versions, the base image id). */
  inputs?: readonly string[];
  /**
   * Directories moved (not copied) into the context at `path`; not hashed, so `inputs` must
   * identify their content. For large generated trees such as a preloaded containerd state.
   */
  movedDirs?: readonly { path: string; source: string }[];
}

/** Hash of everything that determines the image: a changed byte anywhere gives a new hash. */
export async function recipeHash(recipe: ImageRecipe): Promise<string> {
  const h = createHash('sha256');
  h.update(`dockerfile\0${recipe.dockerfile}\0`);
  for (const [k, v] of Object.entries(recipe.labels ?? {}).sort()) h.update(`label\0${k}=${v}\0`);
  for (const input of recipe.inputs ?? []) h.update(`input\0${input}\0`);
  const files = [...recipe.files].sort((a, b) => a.path.localeCompare(b.path));
  for (const f of files) {
    const content =
      'content' in f
        ? createHash('sha256').update(f.content).digest('hex')
        : await hashFile(f.source);
    h.update(`file\0${f.path}\0${f.mode ?? 0o644}\0${content}\0`);
  }
  return h.digest('hex').slice(0, 24);
}

async function placeFile(dir: string, f: ContextFile): Promise<void> {
  const target = join(dir, f.path);
  await mkdir(dirname(target), { recursive: true });
  // Docker COPY keeps the mode from the context, so it is set here rather than with RUN chmod.
  const mode = f.mode ?? 0o644;
  if ('content' in f) {
    await writeFile(target, f.content);
    await chmod(target, mode);
    return;
  }
  const sourceMode = (await stat(f.source)).mode & 0o7777;
  if (sourceMode === mode) {
    // A hard link avoids copying hundreds of MB of binaries into every context; across
    // filesystems it fails and we copy.
    await link(f.source, target).catch(() => copyFile(f.source, target));
  } else {
    // Never chmod a hard link: it would change the cached original.
    await copyFile(f.source, target);
    await chmod(target, mode);
  }
}

export interface BuildResult extends ImageInfo {
  recipe: string;
  /** False when an up-to-date image already existed. */
  built: boolean;
}

/**
 * Build `recipe.tag` from a generated context unless an image with the same recipe hash exists.
 * Every instruction runs locally: nothing is pulled (bases are local images or scratch).
 */
export async function buildImage(
  recipe: ImageRecipe,
  opts: { force?: boolean } = {},
): Promise<BuildResult> {
  const hash = await recipeHash(recipe);
  const previous = await inspectImage(recipe.tag);
  if (!opts.force && previous?.labels[RECIPE_LABEL] === hash) {
    log.debug(`${recipe.tag} is up to date (recipe ${hash})`);
    return { ...previous, recipe: hash, built: false };
  }
  const dir = await mkdtemp(join(tmpdir(), 'tuneproof-build-'));
  try {
    for (const f of recipe.files) await placeFile(dir, f);
    for (const d of recipe.movedDirs ?? []) {
      await mkdir(dirname(join(dir, d.path)), { recursive: true });
      await rename(d.source, join(dir, d.path));
    }
    await writeFile(join(dir, 'Dockerfile'), recipe.dockerfile);
    const labels = { ...recipe.labels, [TOOL_LABEL]: TOOL_NAME, [RECIPE_LABEL]: hash };
    const labelArgs = Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
    await exec('docker', ['build', '--quiet', '--tag', recipe.tag, ...labelArgs, dir], {
      context: `building image ${recipe.tag}`,
      onLine: (l) => log.debug(`docker build ${recipe.tag}: ${l}`),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const info = await inspectImage(recipe.tag);
  if (!info)
    throw new TuneproofError(`docker build reported success but ${recipe.tag} does not exist`);
  if (previous && previous.id !== info.id) {
    // The replaced image would linger untagged (hundreds of MB for a node image); Docker
    // refuses while a container or another image still uses it, which is fine.
    await exec('docker', ['image', 'rm', previous.id], { allowFailure: true });
  }
  return { ...info, recipe: hash, built: true };
}
