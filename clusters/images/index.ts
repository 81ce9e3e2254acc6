/**
 * Images for clusters and scenarios: build tuneproof's own offline (hermetic mode), list and
 * remove them, and choose between them and the official ones (kindest/node and public images)
 * for a run. Whatever is chosen is returned with digests, for the run's record.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, TuneproofError } from '../../harness/errors.ts';
import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { ensureBinaries } from './binaries.ts';
import { cacheDir } from './cache-dir.ts';
import { inspectImage, KIND_LABEL, RECIPE_LABEL, TOOL_LABEL, TOOL_NAME } from './docker-image.ts';
import {
  buildNodeImage,
  NODE_IMAGE,
  type NodeImageBinaries,
  type NodeImageBuild,
} from './node-image.ts';
import { NGINX_ROOTFS, rootfsImage } from './rootfs.ts';
import { KUBERNETES_VERSION } from './versions.ts';
import {
  buildWorkloadImages,
  canaryRecipe,
  type WorkloadImageBuild,
  type WorkloadImageName,
} from './workload-images.ts';

export { NODE_IMAGE } from './node-image.ts';

/** One image a run used, as results record it (harness/results/schema.ts ImageRef). */
export interface ImageRecord {
  role: string;
  ref: string;
  /** Docker image id (sha256 of the config) or, for pulled images, the registry digest. */
  digest?: string;
  source: 'official' | 'tuneproof';
}

export interface BuildImagesOptions {
  /** Rebuild every image even when its recipe is unchanged (binaries and rootfs stay cached). */
  force?: boolean;
  /** Re-run debootstrap for the Debian rootfs tarballs. */
  refreshRootfs?: boolean;
  /** The Debian mirror for the rootfs builds; apt's own by default. */
  debianMirror?: string;
  /** Also build the workload images (canary, proxy, registry); default true. */
  workloads?: boolean;
  /** Binary paths; by default ensureBinaries() builds or finds them in the cache. */
  binaries?: NodeImageBinaries & { agnhost: string };
}

export interface BuiltImages {
  node: NodeImageBuild;
  workloads: WorkloadImageBuild[];
  records: ImageRecord[];
  seconds: number;
}

async function defaultBinaries(): Promise<NodeImageBinaries & { agnhost: string }> {
  const required = await ensureBinaries({ groups: ['kubernetes', 'etcd', 'coredns'] });
  // crictl is a convenience in the node (kubeadm 1.34 no longer needs it): a failed build
  // must not stop the node image.
  const crictl = await ensureBinaries({ groups: ['crictl'] }).then(
    (b) => b.paths.crictl,
    (e: unknown) => {
      log.warn(
        `crictl unavailable, node image built without it: ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    },
  );
  const p = required.paths;
  return {
    kubeadm: p.kubeadm,
    kubelet: p.kubelet,
    kubectl: p.kubectl,
    ...(crictl ? { crictl } : {}),
    'kube-apiserver': p['kube-apiserver'],
    'kube-controller-manager': p['kube-controller-manager'],
    'kube-scheduler': p['kube-scheduler'],
    'kube-proxy': p['kube-proxy'],
    etcd: p.etcd,
    etcdctl: p.etcdctl,
    coredns: p.coredns,
    agnhost: p.agnhost,
  };
}

function ownRecords(node: NodeImageBuild, workloads: readonly WorkloadImageBuild[]): ImageRecord[] {
  return [
    { role: 'node', ref: node.ref, digest: node.id, source: 'tuneproof' },
    ...node.preloaded.map((i) => ({
      role: `node/${i.key}`,
      ref: i.kubeadmRef,
      digest: i.id,
      source: 'tuneproof' as const,
    })),
    ...workloads.map((w) => ({
      role: w.name,
      ref: w.ref,
      digest: w.id,
      source: 'tuneproof' as const,
    })),
  ];
}

/**
 * Build every tuneproof image that is missing or stale. Idempotent: with nothing changed it
 * only inspects images and hashes cached files (seconds).
 */
export async function buildImages(opts: BuildImagesOptions = {}): Promise<BuiltImages> {
  const t0 = performance.now();
  const binaries = opts.binaries ?? (await defaultBinaries());
  const node = await buildNodeImage({
    binaries,
    force: opts.force,
    refreshRootfs: opts.refreshRootfs,
    debianMirror: opts.debianMirror,
  });
  const workloads =
    opts.workloads === false
      ? []
      : await log.step('Checking workload images', 'Workload images ready', async () =>
          buildWorkloadImages({
            agnhost: binaries.agnhost,
            workloadRootfs: node.rootfs.workload,
            nginxRootfs: await rootfsImage(NGINX_ROOTFS, {
              force: opts.refreshRootfs,
              mirror: opts.debianMirror,
            }),
            force: opts.force,
          }),
        );
  return {
    node,
    workloads,
    records: ownRecords(node, workloads),
    seconds: (performance.now() - t0) / 1000,
  };
}

export interface ListedImage {
  ref: string;
  id: string;
  kind: string;
  recipe: string;
  sizeBytes: number;
  created: string;
}

/** tuneproof's images in Docker (by the tool label), node image first. */
export async function listImages(): Promise<ListedImage[]> {
  const res = await exec('docker', [
    'image',
    'ls',
    '--filter',
    `label=${TOOL_LABEL}=${TOOL_NAME}`,
    '--format',
    '{{.Repository}}:{{.Tag}}\t{{.ID}}\t{{.CreatedAt}}',
  ]);
  const rows: ListedImage[] = [];
  for (const line of res.stdout.split('\n')) {
    const [ref, , created] = line.split('\t');
    if (!ref || ref.includes('<none>')) continue;
    const info = await inspectImage(ref);
    if (!info) continue;
    rows.push({
      ref,
      id: info.id,
      kind: info.labels[KIND_LABEL] ?? '',
      recipe: info.labels[RECIPE_LABEL] ?? '',
      sizeBytes: info.size,
      created: created ?? '',
    });
  }
  const order = ['node', 'node-base', 'kubeadm', 'workload', 'rootfs'];
  return rows.sort(
    (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.ref.localeCompare(b.ref),
  );
}

/**
 * Remove tuneproof's images from Docker (and, with `cache`, the rootfs tarballs; the binary
 * cache is the binaries module's). Images still used by a container are kept and reported.
 */
export async function cleanImages(
  opts: { cache?: boolean } = {},
): Promise<{ removed: string[]; kept: string[] }> {
  const removed: string[] = [];
  const kept: string[] = [];
  // Newest layers first, so that a base is removed after the images built on it.
  const order = ['workload', 'node', 'kubeadm', 'node-base', 'rootfs', ''];
  const images = (await listImages()).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const image of images) {
    const r = await exec('docker', ['image', 'rm', image.ref], { allowFailure: true });
    (r.exitStatus === 0 ? removed : kept).push(image.ref);
    if (r.exitStatus !== 0) log.warn(`kept ${image.ref}: ${r.stderr.trim().split('\n')[0]}`);
  }
  // Untagged leftovers of earlier builds (same labels, replaced tags).
  const dangling = await exec('docker', [
    'image',
    'ls',
    '-q',
    '--filter',
    'dangling=true',
    '--filter',
    `label=${TOOL_LABEL}=${TOOL_NAME}`,
  ]);
  const ids = dangling.stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await exec('docker', ['image', 'rm', ...ids], { allowFailure: true });
  if (opts.cache) await rm(join(cacheDir(), 'rootfs'), { recursive: true, force: true });
  return { removed, kept };
}

export type ImageMode = 'auto' | 'official' | 'tuneproof';

export interface ResolvedImages {
  /** Which images the run actually uses (official may fall back to tuneproof). */
  source: 'official' | 'tuneproof';
  nodeImage: string;
  workloads: Record<WorkloadImageName, string>;
  records: ImageRecord[];
}

/** Official images, for hosts that reach registries. */
export const OFFICIAL_IMAGES = {
  node: `kindest/node:${KUBERNETES_VERSION}`,
  canary: 'registry.k8s.io/e2e-test-images/agnhost:2.56',
  proxy: 'haproxy:3.0',
  nginx: 'nginx:1.26',
  registry: 'registry:2.8.3',
} as const;

let pullProbe: Promise<boolean> | undefined;

/** Local if present, else one `docker pull`; the first failure answers for the whole process. */
async function haveOrPull(ref: string): Promise<string | undefined> {
  const local = await inspectImage(ref);
  if (local) return local.repoDigests[0] ?? local.id;
  if (pullProbe && !(await pullProbe)) return undefined;
  const attempt = exec('docker', ['pull', '--quiet', ref], {
    allowFailure: true,
    timeoutMs: 15 * 60_000,
  }).then((r) => {
    if (r.exitStatus !== 0)
      log.debug(`docker pull ${ref} failed: ${r.stderr.trim().split('\n')[0]}`);
    return r.exitStatus === 0;
  });
  pullProbe ??= attempt;
  if (!(await attempt)) return undefined;
  const info = await inspectImage(ref);
  return info ? (info.repoDigests[0] ?? info.id) : undefined;
}

async function officialImages(): Promise<ResolvedImages | undefined> {
  const records: ImageRecord[] = [];
  for (const [role, ref] of Object.entries(OFFICIAL_IMAGES)) {
    const digest = await haveOrPull(ref);
    if (!digest) return undefined;
    records.push({ role, ref, digest, source: 'official' });
  }
  return {
    source: 'official',
    nodeImage: OFFICIAL_IMAGES.node,
    workloads: {
      canary: OFFICIAL_IMAGES.canary,
      proxy: OFFICIAL_IMAGES.proxy,
      nginx: OFFICIAL_IMAGES.nginx,
      registry: OFFICIAL_IMAGES.registry,
    },
    records,
  };
}

async function ownImages(build: () => Promise<BuiltImages>): Promise<ResolvedImages> {
  const built = await build();
  const ref = (name: WorkloadImageName) => built.workloads.find((w) => w.name === name)?.ref ?? '';
  return {
    source: 'tuneproof',
    nodeImage: built.node.ref,
    workloads: {
      canary: ref('canary'),
      proxy: ref('proxy'),
      nginx: ref('nginx'),
      registry: ref('registry'),
    },
    records: built.records,
  };
}

export function imageModeFromEnv(env: NodeJS.ProcessEnv = process.env): ImageMode | undefined {
  const v = env.TUNEPROOF_IMAGES;
  if (v === undefined || v === '') return undefined;
  if (v === 'auto' || v === 'official' || v === 'tuneproof') return v;
  throw new TuneproofError(`TUNEPROOF_IMAGES must be auto, official or tuneproof, not "${v}"`, {
    exitCode: ExitCode.configError,
  });
}

/**
 * Which images a run uses. `tuneproof`: ours (built if missing). `official`: kindest/node and
 * public images if `docker pull` works, else ours (with a warning). `auto` (default, or env
 * TUNEPROOF_IMAGES): ours if already built (no network probe, hermetic), else as `official`.
 */
export async function resolveImages(
  opts: { mode?: ImageMode; build?: () => Promise<BuiltImages> } = {},
): Promise<ResolvedImages> {
  const mode = opts.mode ?? imageModeFromEnv() ?? 'auto';
  const build = opts.build ?? (() => buildImages());
  if (mode === 'tuneproof') return ownImages(build);
  if (mode === 'auto') {
    const node = await inspectImage(NODE_IMAGE);
    const canary = await inspectImage(canaryRecipe('').tag);
    if (node && canary) return ownImages(build);
  }
  const official = await officialImages();
  if (official) return official;
  if (mode === 'official')
    log.warn("official images cannot be pulled here: using tuneproof's own (hermetic) images");
  return ownImages(build);
}
