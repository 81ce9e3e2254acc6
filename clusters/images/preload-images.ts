/**
 * Preloading images into a node image's containerd, offline.
 *
 * kind commits a running node container after importing images into its containerd. We do the
 * import in a throw-away container instead, running only containerd (no systemd, no special
 * privileges) with /var/lib/containerd bind-mounted from a host directory; that directory then
 * becomes one `COPY` layer of the node image. Why not commit a booted node: a node's /var is a
 * volume (nested overlayfs needs a non-overlay upper dir), so a commit would not even contain
 * the imported images, and it would capture a booted system's logs and identity too.
 *
 * Images are imported with `--no-unpack`, as kind does: the node image carries each image once
 * (compressed layers are not needed locally), and containerd's CRI unpacks an image the first
 * time a container is created from it. Each image gets kubeadm's name and the
 * `io.cri-containerd.pinned=pinned` label, which containerd 1.7's CRI reports as `pinned` so
 * kubelet's image garbage collection never removes it.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TuneproofError } from '../../harness/errors.ts';
import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { TOOL_LABEL, TOOL_NAME } from './docker-image.ts';

export interface PreloadImage {
  /** The image's tag in Docker (e.g. tuneproof/kube-apiserver:v1.34.4). */
  localTag: string;
  /** The name it must have inside the node (e.g. registry.k8s.io/kube-apiserver:v1.34.4). */
  nodeRef: string;
}

export const PINNED_LABEL = 'io.cri-containerd.pinned=pinned';

/** containerd with the CRI plugin off: the import needs only the content and image stores. */
const IMPORT_CONFIG = 'version = 2\ndisabled_plugins = ["io.containerd.grpc.v1.cri"]\n';

/** What `docker save` names an image inside the archive, as ctr then sees it. */
export function importedName(localTag: string): string {
  const first = localTag.split('/')[0] ?? '';
  const hasRegistry = localTag.includes('/') && (first.includes('.') || first.includes(':'));
  return hasRegistry ? localTag : `docker.io/${localTag}`;
}

async function ctr(container: string, args: string[], context: string) {
  return exec('docker', ['exec', container, 'ctr', '-n', 'k8s.io', ...args], { context });
}

/**
 * Fill `stateDir` (to become the node's /var/lib/containerd) with `images`, using containerd
 * and ctr from `nodeBaseImage`. `workDir` holds the image archive while it runs.
 */
export async function preloadImages(opts: {
  nodeBaseImage: string;
  images: readonly PreloadImage[];
  stateDir: string;
  workDir: string;
}): Promise<void> {
  const archive = join(opts.workDir, 'images.tar');
  await log.step(
    `Saving ${opts.images.length} images for preloading`,
    'Saved images for preloading',
    () =>
      exec('docker', ['save', '-o', archive, ...opts.images.map((i) => i.localTag)], {
        context: 'docker save of the images to preload',
      }),
  );
  await writeFile(join(opts.workDir, 'containerd.toml'), IMPORT_CONFIG);
  const name = `tuneproof-preload-${randomBytes(4).toString('hex')}`;
  await exec('docker', [
    'run',
    '--detach',
    '--name',
    name,
    '--label',
    `${TOOL_LABEL}=${TOOL_NAME}`,
    '--label',
    'dev.tuneproof.purpose=preload',
    // The node image says SIGRTMIN+3 (for systemd); containerd alone stops on SIGTERM.
    '--stop-signal',
    'SIGTERM',
    '--volume',
    `${opts.stateDir}:/var/lib/containerd`,
    '--volume',
    `${opts.workDir}:/preload:ro`,
    '--entrypoint',
    '/usr/bin/containerd',
    opts.nodeBaseImage,
    '--config',
    '/preload/containerd.toml',
  ]);
  try {
    await waitForContainerd(name);
    await log.step(
      "Importing images into the node image's containerd",
      'Imported images',
      async () => {
        await ctr(
          name,
          ['images', 'import', '--no-unpack', '/preload/images.tar'],
          'ctr images import',
        );
        for (const image of opts.images) {
          const from = importedName(image.localTag);
          if (from !== image.nodeRef) {
            await ctr(name, ['images', 'tag', '--force', from, image.nodeRef], `renaming ${from}`);
            await ctr(name, ['images', 'rm', from], `removing the name ${from}`);
          }
          await ctr(
            name,
            ['images', 'label', image.nodeRef, PINNED_LABEL],
            `pinning ${image.nodeRef}`,
          );
        }
      },
    );
    const listed = await ctr(name, ['images', 'ls', '--quiet'], 'ctr images ls');
    const missing = opts.images.filter((i) => !listed.stdout.split('\n').includes(i.nodeRef));
    if (missing.length > 0) {
      throw new TuneproofError(`preloading left out ${missing.map((m) => m.nodeRef).join(', ')}`);
    }
  } finally {
    // SIGTERM lets containerd close its metadata database cleanly before the copy.
    await exec('docker', ['stop', '--time', '20', name], { allowFailure: true });
    await exec('docker', ['rm', '--force', '--volumes', name], { allowFailure: true });
  }
}

async function waitForContainerd(container: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await exec('docker', ['exec', container, 'ctr', 'version'], { allowFailure: true });
    if (res.exitStatus === 0) return;
    if (Date.now() > deadline) {
      const logs = await exec('docker', ['logs', '--tail', '20', container], {
        allowFailure: true,
      });
      throw new TuneproofError(
        `containerd in the preload container did not answer within 30s:\n${logs.stdout}${logs.stderr}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
