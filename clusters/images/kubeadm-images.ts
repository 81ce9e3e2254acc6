/**
 * The images kubeadm v1.34 runs (control plane, etcd, CoreDNS, kube-proxy, pause), built
 * locally from the binaries tuneproof builds, so that a node never pulls.
 *
 * - kubeadm's static pods run bare commands (`kube-apiserver`, `etcd`, ...), so those images
 *   are a static binary on PATH in an otherwise empty (FROM scratch) image.
 * - CoreDNS's Deployment passes only args (`-conf /etc/coredns/Corefile`): the binary is
 *   `/coredns` and the image's entrypoint.
 * - kube-proxy's DaemonSet runs `/usr/local/bin/kube-proxy` and needs iptables, ipset and
 *   conntrack in the image, so it is built on the Debian workload rootfs, with a wrapper that
 *   picks the node's iptables flavour.
 * - pause is Debian's catatonit in pause mode (`-P`): a 0.7 MB static binary written for
 *   exactly this job (sleep, reap zombies of a shared PID namespace, exit on SIGTERM/SIGINT),
 *   instead of agnhost's `pause` subcommand, which would put a 60+ MB test binary in every
 *   node for one sleep loop. It is taken from the node rootfs, so it is Debian's build.
 *
 * Images are tagged `tuneproof/<name>:<tag>` in Docker (never under registry.k8s.io: a user's
 * real upstream images keep their names); they are renamed to kubeadm's references only inside
 * the node's containerd (see preload-images.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../../harness/util/exec.ts';
import { type BuildResult, buildImage, type ImageRecipe, KIND_LABEL } from './docker-image.ts';
import type { RootfsImage } from './rootfs.ts';
import { COREDNS_VERSION, KUBEADM_IMAGES, type KubeadmImage } from './versions.ts';

const imageFiles = join(import.meta.dirname, 'image-files');

export interface ControlPlaneBinaries {
  'kube-apiserver': string;
  'kube-controller-manager': string;
  'kube-scheduler': string;
  'kube-proxy': string;
  etcd: string;
  /** Optional: handy inside the etcd container for fault scenarios' checks. */
  etcdctl?: string;
  coredns: string;
}

export interface KubeadmImageBuild extends BuildResult {
  /** Which of kubeadm's images this is. */
  key: KubeadmImage;
  /** The reference kubeadm uses (registry.k8s.io/...), as named inside nodes. */
  kubeadmRef: string;
}

const PATH_ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `tuneproof/kube-apiserver:v1.34.4` for `registry.k8s.io/kube-apiserver:v1.34.4`, etc. */
export function localTag(kubeadmRef: string): string {
  const lastSlash = kubeadmRef.lastIndexOf('/');
  return `tuneproof/${kubeadmRef.slice(lastSlash + 1)}`;
}

function staticBinaryImage(
  key: KubeadmImage,
  name: string,
  binaries: Record<string, string>,
): ImageRecipe {
  const files = Object.entries(binaries).map(([bin, source]) => ({
    path: bin,
    source,
    mode: 0o755,
  }));
  const copies = Object.keys(binaries).map((bin) => `COPY ${bin} /usr/local/bin/${bin}`);
  return {
    tag: localTag(KUBEADM_IMAGES[key]),
    dockerfile: [
      'FROM scratch',
      ...copies,
      PATH_ENV,
      `ENTRYPOINT ["/usr/local/bin/${name}"]`,
      '',
    ].join('\n'),
    files,
    labels: { [KIND_LABEL]: 'kubeadm' },
  };
}

/**
 * One file of a rootfs tarball (the pause image's catatonit), extracted once next to the
 * tarball: scanning a 350 MB tar on every warm build would cost seconds.
 */
async function fromRootfs(rootfs: RootfsImage, path: string): Promise<string> {
  const target = `${rootfs.rootfs.tarball.slice(0, -4)}.files/${path}`;
  if (existsSync(target)) return target;
  const dir = await mkdtemp(`${rootfs.rootfs.tarball}.extract-`);
  try {
    await exec('tar', ['-xf', rootfs.rootfs.tarball, '-C', dir, `./${path}`], {
      context: `extracting ${path} from the ${rootfs.rootfs.spec.name} rootfs`,
    });
    await mkdir(dirname(target), { recursive: true });
    await rename(join(dir, path), target);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return target;
}

export function kubeProxyRecipe(bin: string, workloadRootfs: RootfsImage): ImageRecipe {
  const names = [
    'iptables',
    'iptables-save',
    'iptables-restore',
    'ip6tables',
    'ip6tables-save',
    'ip6tables-restore',
  ];
  return {
    tag: localTag(KUBEADM_IMAGES.kubeProxy),
    dockerfile: [
      // By id: the recipe hash then covers the exact base.
      `FROM ${workloadRootfs.id}`,
      'COPY kube-proxy /usr/local/bin/kube-proxy',
      'COPY iptables-wrapper /usr/local/sbin/iptables-wrapper',
      `RUN ${names.map((n) => `ln -s iptables-wrapper /usr/local/sbin/${n}`).join(' && ')}`,
      PATH_ENV,
      'ENTRYPOINT ["/usr/local/bin/kube-proxy"]',
      '',
    ].join('\n'),
    files: [
      { path: 'kube-proxy', source: bin, mode: 0o755 },
      { path: 'iptables-wrapper', source: join(imageFiles, 'iptables-wrapper'), mode: 0o755 },
    ],
    labels: { [KIND_LABEL]: 'kubeadm' },
  };
}

/** Build (or find up to date) every image kubeadm v1.34.4 needs. */
export async function buildKubeadmImages(
  bin: ControlPlaneBinaries,
  rootfs: { node: RootfsImage; workload: RootfsImage },
  opts: { force?: boolean } = {},
): Promise<KubeadmImageBuild[]> {
  const catatonit = await fromRootfs(rootfs.node, 'usr/bin/catatonit');
  const etcdBins: Record<string, string> = { etcd: bin.etcd };
  if (bin.etcdctl) etcdBins.etcdctl = bin.etcdctl;
  const recipes: [KubeadmImage, ImageRecipe][] = [
    [
      'kubeApiserver',
      staticBinaryImage('kubeApiserver', 'kube-apiserver', {
        'kube-apiserver': bin['kube-apiserver'],
      }),
    ],
    [
      'kubeControllerManager',
      staticBinaryImage('kubeControllerManager', 'kube-controller-manager', {
        'kube-controller-manager': bin['kube-controller-manager'],
      }),
    ],
    [
      'kubeScheduler',
      staticBinaryImage('kubeScheduler', 'kube-scheduler', {
        'kube-scheduler': bin['kube-scheduler'],
      }),
    ],
    ['etcd', staticBinaryImage('etcd', 'etcd', etcdBins)],
    [
      'coredns',
      {
        tag: localTag(KUBEADM_IMAGES.coredns),
        dockerfile: [
          'FROM scratch',
          'COPY coredns /coredns',
          'EXPOSE 53 53/udp',
          'ENTRYPOINT ["/coredns"]',
          '',
        ].join('\n'),
        files: [{ path: 'coredns', source: bin.coredns, mode: 0o755 }],
        labels: { [KIND_LABEL]: 'kubeadm' },
        inputs: [COREDNS_VERSION],
      },
    ],
    [
      'pause',
      {
        tag: localTag(KUBEADM_IMAGES.pause),
        dockerfile: [
          'FROM scratch',
          'COPY catatonit /pause',
          'ENTRYPOINT ["/pause", "-P"]',
          '',
        ].join('\n'),
        files: [{ path: 'catatonit', source: catatonit, mode: 0o755 }],
        labels: { [KIND_LABEL]: 'kubeadm' },
      },
    ],
    ['kubeProxy', kubeProxyRecipe(bin['kube-proxy'], rootfs.workload)],
  ];
  const out: KubeadmImageBuild[] = [];
  for (const [key, recipe] of recipes) {
    const built = await buildImage(recipe, opts);
    out.push({ ...built, key, kubeadmRef: KUBEADM_IMAGES[key] });
  }
  return out;
}
