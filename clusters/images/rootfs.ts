/**
 * Debian root filesystems for the node image and for the images that need a userland (kube-proxy
 * needs iptables; the L7 proxy and the registry are Debian packages). Built with debootstrap
 * from Debian's archive, which is reachable where container registries are not.
 *
 * Why trixie: kubelet 1.34 still runs on cgroup v1 hosts, and systemd must too. sid's systemd
 * (258) dropped cgroup v1; trixie's 257 still boots on v1 (it only logs `tainted: cgroupsv1`),
 * and trixie ships containerd 1.7, runc and the CNI plugins.
 *
 * A rootfs is cached as a tarball under the cache dir, keyed by a hash of its package list and
 * of this file's recipe version, and turned into a Docker image with `docker import`. Debian
 * moves on while the hash stays: a cached rootfs is refreshed only with `force`, and the package
 * versions it got are written next to it (and into the image label) so results can record them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TuneproofError } from '../../harness/errors.ts';
import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { cacheDir } from './cache-dir.ts';
import { debianMirror } from './debian-mirror.ts';
import { inspectImage, KIND_LABEL, RECIPE_LABEL, TOOL_LABEL, TOOL_NAME } from './docker-image.ts';

export interface RootfsSpec {
  /** Short name: the cache file and image are named after it. */
  name: string;
  suite: 'trixie' | 'bookworm';
  /** Packages on top of debootstrap's minbase (their dependencies come along). */
  packages: readonly string[];
  /** Keep /usr/share/locale etc.? Never needed in a node or workload image. */
  keepDocs?: boolean;
}

/**
 * Bump when the way a rootfs is made changes (post-processing, debootstrap flags), so cached
 * tarballs made the old way are not reused.
 */
const RECIPE_VERSION = 1;

/**
 * The node's userland: what kind's base image has that matters offline. kubeadm's preflight
 * looks for ip, iptables, mount, nsenter, ethtool, socat, tc, conntrack and ebtables; the
 * CNI plugins come from Debian (there is no kindnetd image offline). catatonit is here because
 * the pause image is made from it; e2fsprogs lets fault injection put etcd's data on a
 * loop-mounted filesystem it can freeze.
 */
export const NODE_ROOTFS: RootfsSpec = {
  name: 'node',
  suite: 'trixie',
  packages: [
    'bash',
    'ca-certificates',
    'catatonit',
    'conntrack',
    'containerd',
    'containernetworking-plugins',
    'dbus',
    'e2fsprogs',
    'ebtables',
    'ethtool',
    'iproute2',
    'iptables',
    'kmod',
    'libseccomp2',
    'mount',
    'nftables',
    'pigz',
    'procps',
    'runc',
    'socat',
    'systemd',
    'systemd-sysv',
    'util-linux',
  ],
};

/**
 * One small userland shared by kube-proxy (iptables, ipset, conntrack), the L7 proxy (haproxy)
 * and the local registry (docker-registry). Sharing it means one debootstrap instead of three,
 * and when the workload images are loaded into a node their base layer is already there
 * (same layer digest as kube-proxy's), so each costs only its few files.
 */
export const WORKLOAD_ROOTFS: RootfsSpec = {
  name: 'workload',
  suite: 'trixie',
  packages: [
    'ca-certificates',
    'conntrack',
    'docker-registry',
    'haproxy',
    'ipset',
    'iptables',
    'kmod',
    'nftables',
  ],
};

/**
 * nginx for the ingress-like proxy variant (tuneproof/nginx). Its own rootfs rather than a
 * package more in WORKLOAD_ROOTFS: that one is kube-proxy's base, so changing it would rebuild
 * the node image for every user of the cache; this costs one more debootstrap (its .debs mostly
 * shared) and a base layer of its own when loaded into a node.
 */
export const NGINX_ROOTFS: RootfsSpec = {
  name: 'nginx',
  suite: 'trixie',
  packages: ['nginx'],
};

export function rootfsHash(spec: RootfsSpec): string {
  const key = JSON.stringify({
    v: RECIPE_VERSION,
    suite: spec.suite,
    packages: [...spec.packages].sort(),
    keepDocs: spec.keepDocs ?? false,
  });
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

export interface Rootfs {
  spec: RootfsSpec;
  hash: string;
  tarball: string;
  /** Installed package versions (`dpkg-query`), e.g. { containerd: '1.7.24~ds1-6' }. */
  packages: Record<string, string>;
}

/** Remove what no container needs: downloaded debs, apt lists, docs, and per-host identity. */
async function slim(root: string, keepDocs: boolean): Promise<void> {
  const emptyDir = async (dir: string, keep?: (name: string) => boolean) => {
    const path = join(root, dir);
    if (!existsSync(path)) return;
    for (const name of await readdir(path)) {
      if (keep?.(name)) continue;
      await rm(join(path, name), { recursive: true, force: true });
    }
  };
  await emptyDir('var/cache/apt');
  await emptyDir('var/lib/apt/lists');
  await emptyDir('var/log');
  await emptyDir('tmp');
  if (!keepDocs) {
    for (const d of ['usr/share/man', 'usr/share/info', 'usr/share/locale', 'usr/share/lintian'])
      await emptyDir(d);
    // Keep each package's copyright file: the licences travel with the binaries.
    const docs = join(root, 'usr/share/doc');
    if (existsSync(docs)) {
      for (const pkg of await readdir(docs))
        await emptyDir(`usr/share/doc/${pkg}`, (n) => n === 'copyright');
    }
  }
  // Docker provides these per container; a machine-id baked into the image would be shared by
  // every node (the node entrypoint writes a fresh one when the file is empty).
  await rm(join(root, 'etc/resolv.conf'), { force: true });
  await rm(join(root, 'etc/hostname'), { force: true });
  await writeFile(join(root, 'etc/machine-id'), '');
  // debootstrap leaves the host's name in /etc/hosts too.
  await writeFile(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n');
}

async function installedPackages(root: string): Promise<Record<string, string>> {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format syntax
  const res = await exec('chroot', [root, 'dpkg-query', '-W', '-f', '${Package}\t${Version}\n']);
  const out: Record<string, string> = {};
  for (const line of res.stdout.split('\n')) {
    const [name, version] = line.split('\t');
    if (name && version) out[name] = version;
  }
  return out;
}

/** The cached rootfs tarball for `spec`, making it with debootstrap if missing (or `force`). */
export interface RootfsOptions {
  /** Re-run debootstrap even when the tarball is cached. */
  force?: boolean;
  /** The Debian mirror; debianMirror() picks apt's own when unset. */
  mirror?: string;
}

export async function buildRootfs(spec: RootfsSpec, opts: RootfsOptions = {}): Promise<Rootfs> {
  const hash = rootfsHash(spec);
  const dir = join(cacheDir(), 'rootfs');
  const tarball = join(dir, `${spec.name}-${spec.suite}-${hash}.tar`);
  const manifest = `${tarball.slice(0, -4)}.packages.json`;
  if (!opts.force && existsSync(tarball) && existsSync(manifest)) {
    return { spec, hash, tarball, packages: JSON.parse(await readFile(manifest, 'utf8')) };
  }
  if (process.getuid?.() !== 0) {
    throw new TuneproofError(
      `building the ${spec.name} rootfs needs root (debootstrap chroots and creates device nodes); ` +
        'run "tuneproof images build" as root, or use the official images where a registry is reachable',
    );
  }
  const mirror = debianMirror(opts.mirror);
  await mkdir(dir, { recursive: true });
  // debootstrap keeps the .debs it fetched here, so the next rootfs (or a forced rebuild)
  // downloads only what it does not share with earlier ones.
  const debs = join(cacheDir(), 'debootstrap', spec.suite);
  await mkdir(debs, { recursive: true });
  const work = await mkdtemp(join(dir, `.${spec.name}-`));
  const root = join(work, 'root');
  try {
    await log.step(
      `Bootstrapping Debian ${spec.suite} rootfs "${spec.name}" from ${mirror} (${spec.packages.length} packages, about 1-2 min)`,
      `Bootstrapped rootfs "${spec.name}"`,
      () =>
        exec(
          'debootstrap',
          [
            '--variant=minbase',
            `--include=${[...spec.packages].sort().join(',')}`,
            `--cache-dir=${debs}`,
            spec.suite,
            root,
            mirror,
          ],
          {
            context: `debootstrap ${spec.suite} for the ${spec.name} rootfs`,
            onLine: (l) => log.debug(`debootstrap: ${l}`),
          },
        ),
    );
    const packages = await installedPackages(root);
    await slim(root, spec.keepDocs ?? false);
    const partial = `${tarball}.partial`;
    await exec(
      'tar',
      ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-C', root, '-cf', partial, '.'],
      { context: `packing the ${spec.name} rootfs` },
    );
    await writeFile(manifest, `${JSON.stringify(packages, null, 1)}\n`);
    // Rename last: a tarball that exists is complete.
    await rename(partial, tarball);
    return { spec, hash, tarball, packages };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface RootfsImage {
  ref: string;
  id: string;
  rootfs: Rootfs;
}

/**
 * The rootfs as a Docker image (`tuneproof/rootfs-<name>:<hash>`), imported from the cached
 * tarball when the image is missing. Other images build FROM it by id.
 */
export async function rootfsImage(
  spec: RootfsSpec,
  opts: RootfsOptions = {},
): Promise<RootfsImage> {
  const rootfs = await buildRootfs(spec, opts);
  const ref = `tuneproof/rootfs-${spec.name}:${rootfs.hash}`;
  const existing = await inspectImage(ref);
  if (existing && !opts.force) return { ref, id: existing.id, rootfs };
  const changes = [
    `LABEL ${TOOL_LABEL}=${TOOL_NAME} ${RECIPE_LABEL}=${rootfs.hash} ${KIND_LABEL}=rootfs`,
    'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'CMD ["/bin/bash"]',
  ];
  await log.step(`Importing rootfs "${spec.name}" into Docker`, `Imported ${ref}`, () =>
    exec('docker', ['import', ...changes.flatMap((c) => ['--change', c]), rootfs.tarball, ref], {
      context: `docker import of the ${spec.name} rootfs`,
    }),
  );
  const info = await inspectImage(ref);
  if (!info) throw new TuneproofError(`docker import did not create ${ref}`);
  return { ref, id: info.id, rootfs };
}
