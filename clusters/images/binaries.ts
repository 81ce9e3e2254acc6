/**
 * The versioned binary cache for hermetic images: Kubernetes (kubeadm, kubelet, kubectl, the
 * control plane, kube-proxy, agnhost), etcd, CoreDNS, crictl, k6 and kwok (simulated nodes), built from the Go module
 * proxy because no container registry or release download is reachable where tuneproof runs
 * hermetically. Builds land in `<cacheDir()>/binaries/<group>-<version>-<recipe hash>/`, so a
 * changed recipe builds anew next to the old one instead of reusing stale binaries.
 *
 * A cold Kubernetes build takes about 11 minutes on 2 cores; it is resumable because the go
 * command's own build cache (GOCACHE) keeps every compiled package, so an interrupted build
 * restarts where it stopped. A warm call only reads manifests and stats files.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { exec } from '../../harness/util/exec.ts';
import { formatSeconds, log } from '../../harness/util/log.ts';
import { cacheDir } from './cache-dir.ts';
import { type DownloadedModule, downloadModule, goBuild, goVersion, listDeps } from './go-build.ts';
import { goCommand } from './go-command.ts';
import {
  compareGoVersions,
  type ModuleVersion,
  type PinRule,
  pinLocalReplaces,
  renderWrapperGoMod,
  requiredWithPins,
} from './go-mod.ts';
import {
  ACTIONLINT_VERSION,
  AGNHOST_VERSION,
  bare,
  COREDNS_VERSION,
  CRICTL_VERSION,
  ETCD_VERSION,
  K6_VERSION,
  KUBERNETES_STAGING_VERSION,
  KUBERNETES_VERSION,
  KWOK_VERSION,
} from './versions.ts';

export const BINARY_GROUPS = {
  kubernetes: [
    'kubeadm',
    'kubelet',
    'kubectl',
    'kube-apiserver',
    'kube-controller-manager',
    'kube-scheduler',
    'kube-proxy',
    'agnhost',
  ],
  etcd: ['etcd', 'etcdctl'],
  coredns: ['coredns'],
  crictl: ['crictl'],
  k6: ['k6'],
  actionlint: ['actionlint'],
  kwok: ['kwok'],
} as const;
export type BinaryGroup = keyof typeof BINARY_GROUPS;
export type BinaryOf<G extends BinaryGroup> = (typeof BINARY_GROUPS)[G][number];
export type BinaryName = BinaryOf<BinaryGroup>;
export const ALL_GROUPS = Object.keys(BINARY_GROUPS) as BinaryGroup[];

/** One `go build` call. */
export interface BuildInvocation {
  packages: readonly string[];
  /** Output file name for a single package; without it the packages go to the bin directory. */
  output?: string;
  /** Linker flags; `{commit}` stands for the VCS commit of the group's first module. */
  ldflags: readonly string[];
  /** Extra linker flags for one package of a multi-package build. */
  packageLdflags?: Readonly<Record<string, readonly string[]>>;
}

/** How to prove a built binary is the one we pinned: run it, look for `expect` in its output. */
export interface VersionCheck {
  args: readonly string[];
  expect: string;
}

export interface GroupRecipe {
  group: BinaryGroup;
  version: string;
  /** Modules the generated wrapper module requires. */
  require: readonly ModuleVersion[];
  /** Modules whose go.mod directory replaces are re-pinned to published versions. */
  pins?: readonly { of: ModuleVersion; rule: PinRule }[];
  /** go.sum lines written up front, for modules the checksum database does not know. */
  goSum?: readonly string[];
  /** GONOSUMDB patterns: modules only verified by the pinned goSum lines above. */
  noSumDb?: readonly string[];
  builds: readonly BuildInvocation[];
  /** Version checks per binary; not part of the cache key (they do not change the binaries). */
  checks: Readonly<Record<string, VersionCheck>>;
  /** The version each binary reports (agnhost has its own). */
  binaryVersions: Readonly<Record<string, string>>;
  /**
   * Cold build time on the project's 2-core VM (go1.26.8), shown with the progress lines.
   * Measured: kubernetes 667 s from an empty GOCACHE; then etcd 54 s, coredns 183 s, crictl
   * 94 s, k6 288 s (these shared some dependencies already compiled for Kubernetes). With a warm
   * GOCACHE a rebuild takes 45 s (kubernetes, mostly linking) and 4-8 s for each of the others.
   */
  coldMinutes: number;
}

/**
 * Bump when the build procedure changes in a way the recipe data does not show (say, a new
 * environment variable): it is part of every cache key, so all groups rebuild.
 */
const RECIPE_REVISION = 2;

/**
 * Flags common to every build. CGO_ENABLED=0 makes static binaries: control-plane images are
 * FROM scratch and agnhost doubles as the pause binary, so nothing may need a libc. -trimpath
 * and the fixed version/date stamps make rebuilds byte-identical (checked: same sha256), and
 * keep compile actions identical between builds so GOCACHE hits: an added compile flag, or a
 * module selected at another version (see requiredWithPins in go-mod.ts), recompiles most of
 * Kubernetes. Linker flags (-ldflags) only affect the link steps.
 */
const COMMON_ENV = { CGO_ENABLED: '0', GOFLAGS: '-mod=mod' } as const;
const COMMON_FLAGS = ['-trimpath'] as const;

function kubernetesLdflags(version: string): string[] {
  const m = /^v(\d+)\.(\d+)\./.exec(version);
  if (!m) throw new Error(`not a Kubernetes version: ${version}`);
  // kubeadm compares its own gitVersion with the control plane and refuses `v0.0.0-master`;
  // a fixed commit and date keep the binaries reproducible.
  const stamp = (pkg: string) => [
    `-X ${pkg}.gitVersion=${version}`,
    `-X ${pkg}.gitMajor=${m[1]}`,
    `-X ${pkg}.gitMinor=${m[2]}`,
    `-X ${pkg}.gitCommit=${'0'.repeat(40)}`,
    `-X ${pkg}.gitTreeState=clean`,
    `-X ${pkg}.buildDate=2026-01-01T00:00:00Z`,
  ];
  return [
    '-s -w',
    ...stamp('k8s.io/component-base/version'),
    ...stamp('k8s.io/client-go/pkg/version'),
  ];
}

/** The kubernetes group's commands (every binary of the group but agnhost, a test image). */
const K8S_COMMANDS = BINARY_GROUPS.kubernetes.filter(
  (b): b is Exclude<(typeof BINARY_GROUPS.kubernetes)[number], 'agnhost'> => b !== 'agnhost',
);
const AGNHOST_PACKAGE = 'k8s.io/kubernetes/test/images/agnhost';

/** The recipes; the pinned versions come from versions.ts. */
export function recipes(): Record<BinaryGroup, GroupRecipe> {
  const k8sVersionCheck = { args: ['--version'], expect: `Kubernetes ${KUBERNETES_VERSION}` };
  const etcdModules = ['go.etcd.io/etcd/server/v3', 'go.etcd.io/etcd/etcdctl/v3'].map((path) => ({
    path,
    version: ETCD_VERSION,
  }));
  const etcdLdflags = ['-s -w', '-X go.etcd.io/etcd/api/v3/version.GitSHA={commit}'];
  return {
    kubernetes: {
      group: 'kubernetes',
      version: KUBERNETES_VERSION,
      require: [{ path: 'k8s.io/kubernetes', version: KUBERNETES_VERSION }],
      pins: [
        {
          of: { path: 'k8s.io/kubernetes', version: KUBERNETES_VERSION },
          rule: { version: KUBERNETES_STAGING_VERSION },
        },
      ],
      // All eight in one go build: shared packages compile once, and the link steps run in
      // parallel.
      builds: [
        {
          packages: [...K8S_COMMANDS.map((c) => `k8s.io/kubernetes/cmd/${c}`), AGNHOST_PACKAGE],
          ldflags: kubernetesLdflags(KUBERNETES_VERSION),
          // agnhost reports main.Version; the link step only, so compile cache hits stay.
          packageLdflags: { [AGNHOST_PACKAGE]: [`-X main.Version=${AGNHOST_VERSION}`] },
        },
      ],
      checks: {
        kubeadm: { args: ['version', '-o', 'short'], expect: KUBERNETES_VERSION },
        kubelet: k8sVersionCheck,
        kubectl: { args: ['version', '--client'], expect: `Client Version: ${KUBERNETES_VERSION}` },
        'kube-apiserver': k8sVersionCheck,
        'kube-controller-manager': k8sVersionCheck,
        'kube-scheduler': k8sVersionCheck,
        'kube-proxy': k8sVersionCheck,
        agnhost: { args: ['--version'], expect: AGNHOST_VERSION },
      },
      binaryVersions: {
        ...Object.fromEntries(K8S_COMMANDS.map((c) => [c, KUBERNETES_VERSION])),
        agnhost: AGNHOST_VERSION,
      },
      coldMinutes: 11,
    },
    etcd: {
      group: 'etcd',
      version: ETCD_VERSION,
      require: etcdModules,
      // etcd's modules replace their siblings (api, client, pkg) with ../ directories.
      pins: etcdModules.map((of) => ({
        of,
        rule: { version: ETCD_VERSION, skipDirs: ['FORBIDDEN_DEPENDENCY'] },
      })),
      builds: [
        { packages: ['go.etcd.io/etcd/server/v3'], output: 'etcd', ldflags: etcdLdflags },
        { packages: ['go.etcd.io/etcd/etcdctl/v3'], output: 'etcdctl', ldflags: etcdLdflags },
      ],
      checks: {
        etcd: { args: ['--version'], expect: `etcd Version: ${bare(ETCD_VERSION)}` },
        etcdctl: { args: ['version'], expect: `etcdctl version: ${bare(ETCD_VERSION)}` },
      },
      binaryVersions: { etcd: ETCD_VERSION, etcdctl: ETCD_VERSION },
      coldMinutes: 3,
    },
    coredns: {
      group: 'coredns',
      version: COREDNS_VERSION,
      require: [{ path: 'github.com/coredns/coredns', version: COREDNS_VERSION }],
      builds: [
        {
          packages: ['github.com/coredns/coredns'],
          output: 'coredns',
          ldflags: ['-s -w', '-X github.com/coredns/coredns/coremain.GitCommit={commit}'],
        },
      ],
      checks: { coredns: { args: ['-version'], expect: `CoreDNS-${bare(COREDNS_VERSION)}` } },
      binaryVersions: { coredns: COREDNS_VERSION },
      coldMinutes: 4,
    },
    crictl: {
      group: 'crictl',
      version: CRICTL_VERSION,
      require: [
        { path: 'sigs.k8s.io/cri-tools', version: CRICTL_VERSION },
        // cri-tools v1.34.0 requires the Kubernetes modules at v0.34.0-rc.2, and sum.golang.org
        // answers 404 for those pre-releases, so the go command refuses them. Requiring the
        // final patch releases of the same minor (which sumdb knows, and which the Kubernetes
        // build above uses) lifts them by minimal version selection, with no checksum bypass.
        ...[
          'k8s.io/api',
          'k8s.io/apimachinery',
          'k8s.io/cli-runtime',
          'k8s.io/client-go',
          'k8s.io/component-base',
          'k8s.io/cri-api',
          'k8s.io/cri-client',
          'k8s.io/kubectl',
          'k8s.io/kubelet',
        ].map((path) => ({ path, version: KUBERNETES_STAGING_VERSION })),
      ],
      // sum.golang.org answers 404 for cri-tools v1.34.0 although the proxy serves it, so the
      // go command may not ask the checksum database about it; these hashes (first seen from
      // the proxy) pin its content instead. Its dependencies are still checked against sumdb.
      goSum: [
        `sigs.k8s.io/cri-tools ${CRICTL_VERSION} h1:KqL9EJ+WgHtz1HR1exezm91n+o8O2uMLs/eHzHJHAWw=`,
        `sigs.k8s.io/cri-tools ${CRICTL_VERSION}/go.mod h1:JyYVG0YFsly+p/hfDfmQcQBNFVHh0+BpMTn49YpasMA=`,
      ],
      noSumDb: ['sigs.k8s.io/cri-tools'],
      builds: [
        {
          packages: ['sigs.k8s.io/cri-tools/cmd/crictl'],
          output: 'crictl',
          // cri-tools' Makefile stamps the tag without its `v`.
          ldflags: [
            '-s -w',
            `-X sigs.k8s.io/cri-tools/pkg/version.Version=${bare(CRICTL_VERSION)}`,
          ],
        },
      ],
      checks: { crictl: { args: ['--version'], expect: bare(CRICTL_VERSION) } },
      binaryVersions: { crictl: CRICTL_VERSION },
      coldMinutes: 2,
    },
    k6: {
      group: 'k6',
      version: K6_VERSION,
      require: [{ path: 'go.k6.io/k6', version: K6_VERSION }],
      builds: [{ packages: ['go.k6.io/k6'], output: 'k6', ldflags: ['-s -w'] }],
      checks: { k6: { args: ['version'], expect: `k6 ${K6_VERSION}` } },
      binaryVersions: { k6: K6_VERSION },
      coldMinutes: 6,
    },
    // The nightly workflow's linter (it runs shellcheck on `run:` steps); only the tests use it.
    actionlint: {
      group: 'actionlint',
      version: ACTIONLINT_VERSION,
      require: [{ path: 'github.com/rhysd/actionlint', version: ACTIONLINT_VERSION }],
      builds: [
        {
          packages: ['github.com/rhysd/actionlint/cmd/actionlint'],
          output: 'actionlint',
          // built inside a wrapper module, its build info says "(devel)": stamp the version
          ldflags: ['-s -w', `-X github.com/rhysd/actionlint.version=${ACTIONLINT_VERSION}`],
        },
      ],
      checks: { actionlint: { args: ['-version'], expect: ACTIONLINT_VERSION } },
      binaryVersions: { actionlint: ACTIONLINT_VERSION },
      coldMinutes: 1,
    },
    // Simulated nodes (clusters/kwok): one host process fakes the kubelets of N nodes against
    // the real apiserver. Its own client-go is newer than the cluster (supported client skew).
    kwok: {
      group: 'kwok',
      version: KWOK_VERSION,
      require: [{ path: 'sigs.k8s.io/kwok', version: KWOK_VERSION }],
      builds: [
        {
          packages: ['sigs.k8s.io/kwok/cmd/kwok'],
          output: 'kwok',
          // kwok's Makefile stamps the bare version; its source default would hide a wrong module
          ldflags: ['-s -w', `-X sigs.k8s.io/kwok/pkg/consts.Version=${bare(KWOK_VERSION)}`],
        },
      ],
      checks: { kwok: { args: ['--version'], expect: `kwok version ${KWOK_VERSION} ` } },
      binaryVersions: { kwok: KWOK_VERSION },
      // measured 497 s cold (client-go v0.36 not yet compiled) on the busy 2-core VM
      coldMinutes: 8,
    },
  };
}

/** Go's names for the host platform: the binaries run in node containers on this host. */
export function goPlatform(
  platform: string = process.platform,
  arch: string = process.arch,
): { goos: string; goarch: string } {
  const goarch = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' }[
    arch
  ];
  if (platform !== 'linux' || !goarch) {
    throw new Error(`hermetic images are built for linux hosts only, not ${platform}/${arch}`);
  }
  return { goos: 'linux', goarch };
}

/** JSON with sorted keys, so the hash does not depend on how an object was written. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key of a group: `<group>-<version>-<12 hex of sha256(recipe)>`. Everything that
 * changes the binaries is hashed (modules, pins, flags, platform, RECIPE_REVISION); the version
 * checks and the progress estimate are not. The Go toolchain is not either: a toolchain patch
 * update should not cost a 10-minute rebuild, and the manifest records which one built it.
 */
export function cacheKey(
  recipe: GroupRecipe,
  platform: { goos: string; goarch: string } = goPlatform(),
): string {
  const { checks: _checks, coldMinutes: _cold, binaryVersions: _bv, ...hashed } = recipe;
  const material = stableJson({
    revision: RECIPE_REVISION,
    env: COMMON_ENV,
    flags: COMMON_FLAGS,
    platform,
    recipe: hashed,
  });
  const hash = createHash('sha256').update(material).digest('hex').slice(0, 12);
  return `${recipe.group}-${recipe.version}-${hash}`;
}

export interface BuiltBinary {
  /** Relative to the group's directory. */
  file: string;
  sha256: string;
  size: number;
  version: string;
  /** What the binary printed for its version check. */
  versionOutput: string;
}

/** manifest.json of a finished group build; its presence marks the build complete. */
export interface BinaryManifest {
  schema: 1;
  group: BinaryGroup;
  version: string;
  key: string;
  goVersion: string;
  goos: string;
  goarch: string;
  builtAt: string;
  buildSeconds: number;
  /** The wrapper module's go.mod, for the record. */
  goMod: string;
  binaries: Record<string, BuiltBinary>;
}

export interface BinarySet<G extends BinaryGroup = BinaryGroup> {
  /** Absolute path of each binary. */
  paths: Record<BinaryOf<G>, string>;
  /** The version each binary reports (`v1.34.4`, agnhost `2.56`, ...). */
  versions: Record<BinaryOf<G>, string>;
  /** The manifest of each group, with hashes and build times. */
  manifests: Record<G, BinaryManifest>;
}

export interface EnsureBinariesOptions<G extends BinaryGroup = BinaryGroup> {
  /** Which groups; all by default. */
  groups?: readonly G[];
  /** Cache root; cacheDir() by default. */
  cacheRoot?: string;
  /** Rebuild even when a finished build is cached (GOCACHE still makes it quick). */
  rebuild?: boolean;
  /** Re-hash every cached binary against its manifest (about a second per 100 MB). */
  verifyHashes?: boolean;
  /** The go command; goCommand() by default ($TUNEPROOF_GO, the cached toolchain, PATH). */
  go?: string;
  /** Progress line interval during builds. */
  progressEveryMs?: number;
}

/**
 * Makes sure the pinned binaries are built and cached, building what is missing (one group at
 * a time: the go command already uses every core). Returns absolute paths and versions.
 */
export async function ensureBinaries<G extends BinaryGroup = BinaryGroup>(
  opts: EnsureBinariesOptions<G> = {},
): Promise<BinarySet<G>> {
  const groups = opts.groups ?? (ALL_GROUPS as G[]);
  const root = join(opts.cacheRoot ?? cacheDir(), 'binaries');
  const all = recipes();
  const paths: Record<string, string> = {};
  const versions: Record<string, string> = {};
  const manifests: Record<string, BinaryManifest> = {};
  for (const group of groups) {
    const recipe = all[group];
    const dir = join(root, cacheKey(recipe));
    const manifest = await ensureGroup(recipe, root, dir, opts);
    manifests[group] = manifest;
    for (const name of BINARY_GROUPS[group]) {
      const b = manifest.binaries[name];
      if (!b) throw new Error(`${join(dir, 'manifest.json')} lists no ${name}`);
      paths[name] = join(dir, b.file);
      versions[name] = b.version;
    }
  }
  return {
    paths: paths as Record<BinaryOf<G>, string>,
    versions: versions as Record<BinaryOf<G>, string>,
    manifests: manifests as Record<G, BinaryManifest>,
  };
}

/** The finished build in `dir`, or undefined when it is missing, partial or damaged. */
async function readCached(
  recipe: GroupRecipe,
  dir: string,
  verifyHashes: boolean,
): Promise<BinaryManifest | undefined> {
  let manifest: BinaryManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (manifest.schema !== 1) return undefined;
  for (const name of BINARY_GROUPS[recipe.group]) {
    const b = manifest.binaries[name];
    if (!b) return undefined;
    const file = join(dir, b.file);
    const st = await stat(file).catch(() => undefined);
    if (!st || st.size !== b.size) {
      log.warn(`cached ${name} at ${file} is missing or changed size; rebuilding ${recipe.group}`);
      return undefined;
    }
    if (verifyHashes && (await sha256File(file)) !== b.sha256) {
      log.warn(`cached ${name} at ${file} does not match its manifest hash; rebuilding`);
      return undefined;
    }
  }
  return manifest;
}

async function ensureGroup(
  recipe: GroupRecipe,
  root: string,
  dir: string,
  opts: EnsureBinariesOptions<BinaryGroup>,
): Promise<BinaryManifest> {
  if (!opts.rebuild) {
    const cached = await readCached(recipe, dir, opts.verifyHashes ?? false);
    if (cached) {
      log.debug(`${recipe.group} ${recipe.version}: cached in ${dir}`);
      return cached;
    }
  }
  await mkdir(root, { recursive: true });
  const key = cacheKey(recipe);
  return withLock(join(root, `${key}.lock`), `${recipe.group} ${recipe.version}`, async () => {
    // Another process may have finished the build while we waited for the lock.
    if (!opts.rebuild) {
      const cached = await readCached(recipe, dir, false);
      if (cached) return cached;
    }
    await removeStaleTemps(root, key);
    const tmp = join(root, `.tmp-${key}-${process.pid}`);
    const names = BINARY_GROUPS[recipe.group].join(', ');
    const manifest = await log
      .step(
        `Building ${recipe.group} ${recipe.version} (${names}) into ${dir}; a cold build takes about ${recipe.coldMinutes} min on 2 cores`,
        `Built ${recipe.group} ${recipe.version}`,
        () => buildGroup(recipe, key, tmp, opts),
      )
      .catch(async (e: unknown) => {
        // Half-built binaries are worth nothing: the progress that matters is in GOCACHE.
        await rm(tmp, { recursive: true, force: true });
        throw e;
      });
    // Publish atomically: readers see either no directory or a complete one with its manifest.
    const old = `${dir}.old-${process.pid}`;
    const hadOld = await stat(dir).then(
      () => true,
      () => false,
    );
    if (hadOld) await rename(dir, old);
    await rename(tmp, dir);
    if (hadOld) await rm(old, { recursive: true, force: true });
    return manifest;
  });
}

/**
 * Removes directories left by interrupted builds (`.tmp-<key>-<pid>`) and swaps
 * (`<key>.old-<pid>`): every temporary one of `key` (we hold its lock, so none is running) and
 * any other whose process is gone (such as builds of an older recipe that will never resume).
 */
async function removeStaleTemps(root: string, key: string): Promise<void> {
  for (const e of await readdir(root)) {
    const m = /^(?:\.tmp-(.+)|.+\.old)-(\d+)$/.exec(e);
    if (!m) continue;
    if (m[1] === key || !isAlive(Number(m[2]))) {
      log.debug(`removing the leftover build directory ${join(root, e)}`);
      await rm(join(root, e), { recursive: true, force: true });
    }
  }
}

async function buildGroup(
  recipe: GroupRecipe,
  key: string,
  tmp: string,
  opts: EnsureBinariesOptions<BinaryGroup>,
): Promise<BinaryManifest> {
  const t0 = performance.now();
  const moduleDir = join(tmp, 'module');
  const binDir = join(tmp, 'bin');
  await mkdir(moduleDir, { recursive: true });
  await mkdir(binDir, { recursive: true });
  const platform = goPlatform();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...COMMON_ENV,
    GOOS: platform.goos,
    GOARCH: platform.goarch,
    ...(recipe.noSumDb ? { GONOSUMDB: recipe.noSumDb.join(',') } : {}),
  };
  const goOpts = { go: opts.go ?? goCommand(), cwd: moduleDir, env };

  // Module metadata comes first and outside the wrapper module (it does not exist yet).
  const downloaded = new Map<string, DownloadedModule>();
  const fetchModule = async (m: ModuleVersion) => {
    const id = `${m.path}@${m.version}`;
    let d = downloaded.get(id);
    if (!d) {
      d = await downloadModule(m, { ...goOpts, cwd: tmp });
      downloaded.set(id, d);
    }
    return d;
  };
  const required = await log.step(
    `Fetching Go module metadata for ${recipe.group}`,
    `Fetched Go module metadata for ${recipe.group}`,
    () => Promise.all(recipe.require.map(fetchModule)),
  );
  checkPinnedSums(recipe, required);
  const replaces = new Map<string, ModuleVersion>();
  for (const pin of recipe.pins ?? []) {
    const src = await fetchModule(pin.of);
    for (const r of pinLocalReplaces(src.goMod, pin.rule)) replaces.set(r.path, r);
  }
  if (recipe.group === 'kubernetes')
    await checkAgnhostVersion(await fetchModule(recipe.require[0]!));
  // The wrapper's go directive is the highest its requirements ask for, which is what they
  // were released with (it also sets the binaries' GODEBUG defaults).
  const goDirective = required
    .map((m) => /^go\s+(\S+)/m.exec(m.goMod)?.[1] ?? '1.21')
    .reduce((a, b) => (compareGoVersions(a, b) >= 0 ? a : b));
  const pins = [...replaces.values()];
  const wrapper = {
    module: `tuneproof.local/${recipe.group}build`,
    go: goDirective,
    require: recipe.require,
    replace: pins,
  };
  const goModFile = join(moduleDir, 'go.mod');
  await writeFile(goModFile, renderWrapperGoMod(wrapper));
  await writeFile(join(moduleDir, 'go.sum'), recipe.goSum ? `${recipe.goSum.join('\n')}\n` : '');

  // Two passes: resolve with the pins as replaces only, to learn which pinned modules the
  // build uses, then require those at their pinned versions (see requiredWithPins).
  const allPackages = recipe.builds.flatMap((b) => b.packages);
  const deps = await log.step(
    `Resolving modules and packages for ${recipe.group}`,
    `Resolved modules and packages for ${recipe.group}`,
    () => listDeps(allPackages, goOpts),
  );
  if (pins.length > 0) {
    const require = requiredWithPins(recipe.require, pins, deps.modules);
    // Regenerated rather than edited, so whatever the first pass wrote into go.mod does not
    // matter; go.sum keeps the hashes it verified.
    await writeFile(goModFile, renderWrapperGoMod({ ...wrapper, require }));
  }
  const total = deps.packages;
  const commit = required[0]?.commit ?? 'unknown';
  for (const b of recipe.builds) {
    const ldflags = b.ldflags.join(' ').replaceAll('{commit}', commit);
    const args = [...COMMON_FLAGS, `-ldflags=${ldflags}`];
    for (const [pkg, extra] of Object.entries(b.packageLdflags ?? {})) {
      // A pattern-qualified -ldflags replaces the plain one for that package, so repeat it.
      args.push(`-ldflags=${pkg}=${ldflags} ${extra.join(' ')}`);
    }
    args.push('-o', b.output ? join(binDir, b.output) : `${binDir}/`, ...b.packages);
    await goBuild({
      ...goOpts,
      args,
      label: b.output ? `${recipe.group}/${b.output}` : recipe.group,
      totalPackages: total,
      progressEveryMs: opts.progressEveryMs,
    });
  }

  const binaries: Record<string, BuiltBinary> = {};
  for (const name of BINARY_GROUPS[recipe.group]) {
    binaries[name] = await verifyBinary(recipe, name, join(binDir, name));
  }
  const manifest: BinaryManifest = {
    schema: 1,
    group: recipe.group,
    version: recipe.version,
    key,
    goVersion: await goVersion(goOpts),
    ...platform,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((performance.now() - t0) / 100) / 10,
    goMod: await readFile(join(moduleDir, 'go.mod'), 'utf8'),
    binaries,
  };
  await writeFile(join(tmp, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function checkPinnedSums(recipe: GroupRecipe, modules: readonly DownloadedModule[]): void {
  for (const m of modules) {
    const want = recipe.goSum?.find((l) => l.startsWith(`${m.path} ${m.version} `));
    const wantHash = want?.split(' ')[2];
    if (wantHash && wantHash !== m.sum) {
      throw new Error(
        `${m.path}@${m.version} from the module proxy has hash ${m.sum}, but tuneproof pins ${wantHash}: refusing to build it`,
      );
    }
  }
}

async function checkAgnhostVersion(k8s: DownloadedModule): Promise<void> {
  const file = join(k8s.dir, 'test/images/agnhost/VERSION');
  const actual = (await readFile(file, 'utf8')).trim();
  if (actual !== AGNHOST_VERSION) {
    throw new Error(
      `${file} says agnhost ${actual}, versions.ts pins AGNHOST_VERSION ${AGNHOST_VERSION}: update versions.ts`,
    );
  }
}

/** Runs the version check, proves the binary is static, and hashes it. */
async function verifyBinary(recipe: GroupRecipe, name: string, file: string): Promise<BuiltBinary> {
  const check = recipe.checks[name];
  const version = recipe.binaryVersions[name];
  if (!check || !version) throw new Error(`recipe ${recipe.group} has no check for ${name}`);
  const interp = await elfInterpreter(file);
  if (interp !== undefined) {
    throw new Error(
      `${file} is dynamically linked (${interp || 'PT_DYNAMIC'}); images FROM scratch need static binaries`,
    );
  }
  const res = await exec(file, check.args, {
    timeoutMs: 60_000,
    context: `checking the version of ${name}`,
  });
  const output = `${res.stdout}${res.stderr}`.trim();
  if (!output.includes(check.expect)) {
    throw new Error(
      `${name} ${check.args.join(' ')} printed ${JSON.stringify(output)}, expected it to contain ${JSON.stringify(check.expect)}`,
    );
  }
  return {
    file: `bin/${name}`,
    sha256: await sha256File(file),
    size: (await stat(file)).size,
    version,
    versionOutput: output,
  };
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Whether an ELF file needs a dynamic loader: undefined for a static binary, the interpreter
 * path (PT_INTERP) or '' (PT_DYNAMIC only) for a dynamic one. Reads ELF64 little-endian, which
 * is what Go builds for linux on amd64/arm64.
 */
export function elfInterpreterOf(buf: Buffer): string | undefined {
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (buf[4] !== 2 || buf[5] !== 1) throw new Error('only 64-bit little-endian ELF is supported');
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  let dynamic = false;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 56 > buf.length) throw new Error('ELF program headers are truncated');
    const type = buf.readUInt32LE(at);
    if (type === 3) {
      const offset = Number(buf.readBigUInt64LE(at + 8));
      const size = Number(buf.readBigUInt64LE(at + 32));
      return buf
        .subarray(offset, offset + size)
        .toString('latin1')
        .replace(/\0.*$/s, '');
    }
    if (type === 2) dynamic = true;
  }
  return dynamic ? '' : undefined;
}

async function elfInterpreter(file: string): Promise<string | undefined> {
  // The headers and the interpreter string sit in the first pages of the file.
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return elfInterpreterOf(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/**
 * A cross-process lock (a directory holding the owner's pid), so two tuneproof processes do
 * not both spend 10 minutes building the same group on a 2-core machine. A lock whose owner
 * died (Ctrl-C, crash) is taken over.
 */
async function withLock<T>(lockDir: string, what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  let lastNotice = 0;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = await readFile(join(lockDir, 'owner'), 'utf8').catch(() => '');
    const [host, pidText] = owner.trim().split(':');
    const pid = Number(pidText);
    const alive = host !== hostname() || (pid > 0 && isAlive(pid));
    // An empty owner file may just be a lock taken a moment ago; give it a few seconds.
    const young = owner === '' && performance.now() - t0 < 5_000;
    if (!alive && !young) {
      log.warn(`taking over the build lock ${lockDir} from ${owner.trim() || 'an unknown owner'}`);
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (performance.now() - lastNotice > 60_000) {
      lastNotice = performance.now();
      log.info(
        `Waiting for ${owner.trim() || 'another process'} to finish building ${what} (${formatSeconds(performance.now() - t0)} so far)`,
      );
    }
    await new Promise((r) => setTimeout(r, 2_000));
  }
  try {
    await writeFile(join(lockDir, 'owner'), `${hostname()}:${process.pid}\n`);
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
