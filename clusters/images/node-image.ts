/**
 * tuneproof's kind-compatible node image, `tuneproof/node:<kubernetes version>`, made offline:
 *
 *   Debian trixie rootfs (debootstrap)          tuneproof/rootfs-node:<package hash>
 *   + entrypoint, units, containerd config,      tuneproof/node-base:<version>
 *     kubeadm/kubelet/kubectl(/crictl), /kind/version
 *   + /var/lib/containerd with kubeadm's images  tuneproof/node:<version>
 *     preloaded and pinned
 *
 * The layout follows kind's node image (entrypoint then /sbin/init, kubelet unit with kubeadm's
 * drop-in, containerd with SystemdCgroup and Delegate=yes, kubeadm's images preloaded under
 * their registry.k8s.io names), so the kind provider drives it as kind drives kindest/node.
 * There is no CNI image: the provider writes a ptp/bridge + host-local config per node and
 * routes between nodes itself; Debian's CNI plugins are in /opt/cni/bin.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log } from '../../harness/util/log.ts';
import {
  type BuildResult,
  buildImage,
  type ImageRecipe,
  KIND_LABEL,
  recipeHash,
  upToDate,
} from './docker-image.ts';
import {
  buildKubeadmImages,
  type ControlPlaneBinaries,
  type KubeadmImageBuild,
} from './kubeadm-images.ts';
import { NODE_SETUP_SCRIPT, type NodeBinaries, nodeFiles } from './node-files.ts';
import { preloadImages } from './preload-images.ts';
import { NODE_ROOTFS, type RootfsImage, rootfsImage, WORKLOAD_ROOTFS } from './rootfs.ts';
import { KUBERNETES_VERSION } from './versions.ts';

export const NODE_IMAGE = `tuneproof/node:${KUBERNETES_VERSION}`;
export const NODE_BASE_IMAGE = `tuneproof/node-base:${KUBERNETES_VERSION}`;
export const KUBERNETES_VERSION_LABEL = 'dev.tuneproof.kubernetes-version';
/** JSON object: kubeadm reference -> Docker image id of each preloaded image. */
export const PRELOADED_LABEL = 'dev.tuneproof.preloaded';

export type NodeImageBinaries = NodeBinaries & ControlPlaneBinaries;

export interface NodeImageBuild extends BuildResult {
  base: BuildResult;
  preloaded: KubeadmImageBuild[];
  rootfs: { node: RootfsImage; workload: RootfsImage };
}

export interface NodeImageOptions {
  binaries: NodeImageBinaries;
  /** Rebuild images even when their recipe is unchanged. */
  force?: boolean;
  /** Re-run debootstrap (picks up Debian's updates; the package list is unchanged). */
  refreshRootfs?: boolean;
  /** The Debian mirror for the rootfs builds; apt's own by default. */
  debianMirror?: string;
}

function nodeBaseRecipe(rootfs: RootfsImage, bin: NodeBinaries): ImageRecipe {
  return {
    tag: NODE_BASE_IMAGE,
    dockerfile: [
      `FROM ${rootfs.id}`,
      'COPY context/ /',
      `RUN ${NODE_SETUP_SCRIPT}`,
      // systemd's container interface: it reads $container, and stops on SIGRTMIN+3.
      'ENV container=docker',
      'STOPSIGNAL SIGRTMIN+3',
      'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
      '',
    ].join('\n'),
    files: nodeFiles(bin).map((f) => ({ ...f, path: `context/${f.path}` })),
    labels: { [KIND_LABEL]: 'node-base', [KUBERNETES_VERSION_LABEL]: KUBERNETES_VERSION },
  };
}

function nodeRecipe(base: BuildResult, images: readonly KubeadmImageBuild[]): ImageRecipe {
  const preloaded = Object.fromEntries(images.map((i) => [i.kubeadmRef, i.id]));
  return {
    tag: NODE_IMAGE,
    dockerfile: [`FROM ${base.id}`, 'COPY containerd/ /var/lib/containerd/', ''].join('\n'),
    files: [],
    labels: {
      [KIND_LABEL]: 'node',
      [KUBERNETES_VERSION_LABEL]: KUBERNETES_VERSION,
      [PRELOADED_LABEL]: JSON.stringify(preloaded),
    },
    inputs: [base.id, ...images.map((i) => `${i.kubeadmRef}=${i.id}`)],
  };
}

/** Build every layer of the node image that is missing or out of date; a warm call only inspects. */
export async function buildNodeImage(opts: NodeImageOptions): Promise<NodeImageBuild> {
  const force = opts.force ?? false;
  const rootfs = {
    node: await rootfsImage(NODE_ROOTFS, { force: opts.refreshRootfs, mirror: opts.debianMirror }),
    workload: await rootfsImage(WORKLOAD_ROOTFS, {
      force: opts.refreshRootfs,
      mirror: opts.debianMirror,
    }),
  };
  const base = await log.step(
    'Checking node base image',
    `Node base image ${NODE_BASE_IMAGE} ready`,
    () => buildImage(nodeBaseRecipe(rootfs.node, opts.binaries), { force }),
  );
  const preloaded = await log.step('Checking kubeadm images', 'kubeadm images ready', () =>
    buildKubeadmImages(opts.binaries, rootfs, { force }),
  );
  const recipe = nodeRecipe(base, preloaded);
  const hash = await recipeHash(recipe);
  const current = force ? undefined : await upToDate(NODE_IMAGE, hash);
  if (current) return { ...current, recipe: hash, built: false, base, preloaded, rootfs };

  const work = await mkdtemp(join(tmpdir(), 'tuneproof-node-'));
  try {
    const stateDir = join(work, 'containerd');
    const archiveDir = join(work, 'archive');
    await mkdir(stateDir);
    await mkdir(archiveDir);
    await preloadImages({
      nodeBaseImage: base.id,
      images: preloaded.map((i) => ({ localTag: i.ref, nodeRef: i.kubeadmRef })),
      stateDir,
      workDir: archiveDir,
    });
    const node = await log.step(`Building ${NODE_IMAGE}`, `Built ${NODE_IMAGE}`, () =>
      buildImage(
        { ...recipe, movedDirs: [{ path: 'containerd', source: stateDir }] },
        { force: true },
      ),
    );
    return { ...node, base, preloaded, rootfs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
