import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { exec } from '../../../harness/util/exec.ts';
import { docker } from '../../docker.ts';
import { labelKeys, toolLabel } from '../../labels.ts';

/**
 * GNU tar flags that keep everything containerd and the kubelet rely on: numeric owners,
 * every extended attribute (overlayfs marks opaque directories with trusted.overlay.opaque,
 * which only CAP_SYS_ADMIN may read and write), holes in sparse files.
 */
export const tarFlags = ['--numeric-owner', '--xattrs', '--xattrs-include=*', '--sparse'];

/**
 * The bulk of a node's /var that nothing ever writes in place: containerd's content store
 * (content-addressed blobs, only added and removed) and its overlayfs snapshots (image layers
 * are overlay lower directories; the upper directories of the snapshot's exited containers are
 * never mounted again, since CRI does not restart a container but makes a new one). A restore
 * hard-links these instead of copying them: removing a link (containerd's garbage collection, the
 * volume's removal) leaves the snapshot's file alone. Everything else (etcd's data, containerd's
 * and the snapshotter's bbolt databases, kubelet state, logs) is copied.
 */
export const linkedVarDirs = [
  'lib/containerd/io.containerd.content.v1.content/blobs',
  'lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots',
];

const tarPipe = (from: string, to: string, excludes: readonly string[] = []) =>
  `tar --create ${tarFlags.join(' ')} ${excludes.map((e) => `--exclude=./${e}`).join(' ')} --directory='${from}' . | tar --extract ${tarFlags.join(' ')} --directory='${to}'`;

/** Label of the volumes holding snapshots' /var trees (not the tool label: `clean` spares them). */
export const SNAPSHOT_VOLUME_LABEL = 'dev.tuneproof.snapshot';

async function mountpoint(volume: string): Promise<string | undefined> {
  const d = await docker();
  const info = (await d.getVolume(volume).inspect()) as { Mountpoint?: string };
  return info.Mountpoint;
}

/**
 * Unpacks a stopped node container's /var into a new volume `name` (a helper container) and
 * returns its size in bytes. The tree lives in a Docker volume, not the cache directory, so that
 * a restore can hard-link from it: Docker's storage is its own mount here, and links cannot
 * cross mounts.
 */
export async function saveVarTree(opts: {
  containerId: string;
  image: string;
  volume: string;
  key: string;
  context: string;
}): Promise<number> {
  const d = await docker();
  await d.createVolume({ Name: opts.volume, Labels: { [SNAPSHOT_VOLUME_LABEL]: opts.key } });
  const r = await exec(
    'docker',
    [
      'run',
      '--rm',
      '--label',
      `${labelKeys.tool}=${toolLabel}`,
      '--cap-add',
      'SYS_ADMIN',
      '--network',
      'none',
      '--volumes-from',
      opts.containerId,
      '-v',
      `${opts.volume}:/snapshot`,
      '--entrypoint',
      'sh',
      opts.image,
      '-c',
      `${tarPipe('/var', '/snapshot')} && du -sb /snapshot`,
    ],
    { context: opts.context, timeoutMs: 10 * 60_000 },
  );
  return Number(r.stdout.trim().split(/\s/)[0]);
}

/**
 * Fills an empty named volume from a saved /var tree volume. Where this process can write
 * Docker's volume directories (root, local Docker) the immutable bulk is hard-linked (a second
 * instead of the ~35 s that copying 2.8 GB for 1 control plane + 2 workers took here) and the
 * rest copied; otherwise a helper container copies everything.
 */
export async function fillVarVolume(opts: {
  volume: string;
  treeVolume: string;
  image: string;
  labels: Record<string, string>;
  context: string;
}): Promise<'linked' | 'copied'> {
  const [mp, tree] = await Promise.all([mountpoint(opts.volume), mountpoint(opts.treeVolume)]);
  if (mp && tree && process.getuid?.() === 0 && existsSync(mp) && existsSync(tree)) {
    const links = linkedVarDirs
      .map(
        (dir) =>
          `if [ -d '${tree}/${dir}' ]; then mkdir -p '${mp}/${dirname(dir)}' && cp -al '${tree}/${dir}' '${mp}/${dirname(dir)}/'; fi`,
      )
      .join('; ');
    await exec('sh', ['-c', `set -e; ${tarPipe(tree, mp, linkedVarDirs)}; ${links}`], {
      context: opts.context,
      timeoutMs: 10 * 60_000,
    });
    return 'linked';
  }
  await exec(
    'docker',
    [
      'run',
      '--rm',
      ...Object.entries(opts.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]),
      '--cap-add',
      'SYS_ADMIN',
      '--network',
      'none',
      '-v',
      `${opts.treeVolume}:/snapshot:ro`,
      // mounted where the image has nothing, so Docker copies none of the image's /var in
      '-v',
      `${opts.volume}:/restore`,
      '--entrypoint',
      'sh',
      opts.image,
      '-c',
      tarPipe('/snapshot', '/restore'),
    ],
    { context: opts.context, timeoutMs: 10 * 60_000 },
  );
  return 'copied';
}
