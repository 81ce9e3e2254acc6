/**
 * Running the go command for binary builds: module metadata from the proxy, package counts for
 * progress, and `go build` with its output streamed at debug level and a periodic progress line
 * (a cold Kubernetes build runs for about 11 minutes on 2 cores and prints nothing by itself).
 */
import { readFile } from 'node:fs/promises';
import { exec } from '../../harness/util/exec.ts';
import { formatSeconds, log } from '../../harness/util/log.ts';
import type { ModuleVersion } from './go-mod.ts';

export interface GoRunOptions {
  /** The go command; `go` from PATH unless given. */
  go: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface DownloadedModule extends ModuleVersion {
  /** Text of the module's go.mod. */
  goMod: string;
  /** The module tree in GOMODCACHE. */
  dir: string;
  /** go.sum hashes the proxy/sumdb gave (`h1:...`). */
  sum: string;
  goModSum: string;
  /** The VCS commit the proxy says the version came from, when it says. */
  commit: string | undefined;
}

function debugLines(prefix: string) {
  return (line: string) => {
    if (line.trim()) log.debug(`${prefix}: ${line}`);
  };
}

/** `go mod download -json path@version`: fetches the module and reports where it is. */
export async function downloadModule(
  mod: ModuleVersion,
  opts: GoRunOptions,
): Promise<DownloadedModule> {
  const res = await exec(opts.go, ['mod', 'download', '-json', `${mod.path}@${mod.version}`], {
    cwd: opts.cwd,
    env: opts.env,
    // The JSON carries the failure reason ("403 Forbidden", sumdb 404) in its Error field.
    allowFailure: true,
    onLine: (l, s) => s === 'stderr' && debugLines('go mod download')(l),
    context: `downloading Go module ${mod.path}@${mod.version}`,
  });
  let info: {
    Dir?: string;
    GoMod?: string;
    Sum?: string;
    GoModSum?: string;
    Error?: string;
    Origin?: { Hash?: string };
  };
  try {
    info = JSON.parse(res.stdout);
  } catch {
    throw new Error(
      `go mod download ${mod.path}@${mod.version} failed (exit ${res.exitStatus}): ${res.stderr.trim()}`,
    );
  }
  if (info.Error || res.exitStatus !== 0 || !info.Dir || !info.GoMod) {
    throw new Error(
      `go mod download ${mod.path}@${mod.version} failed: ${info.Error ?? res.stderr.trim()}`,
    );
  }
  return {
    ...mod,
    goMod: await readFile(info.GoMod, 'utf8'),
    dir: info.Dir,
    sum: info.Sum ?? '',
    goModSum: info.GoModSum ?? '',
    commit: info.Origin?.Hash,
  };
}

/** `go env GOVERSION`, e.g. `go1.26.8`. */
export async function goVersion(opts: GoRunOptions): Promise<string> {
  const res = await exec(opts.go, ['env', 'GOVERSION'], { cwd: opts.cwd, env: opts.env });
  return res.stdout.trim();
}

export interface DepsInfo {
  /** How many packages (standard library included) the build involves. */
  packages: number;
  /** The module paths those packages come from. */
  modules: Set<string>;
}

/**
 * The packages and modules a build of `packages` involves. This also resolves and downloads
 * every module of the build list, which is a long step of its own on a cold module cache.
 */
export async function listDeps(packages: readonly string[], opts: GoRunOptions): Promise<DepsInfo> {
  const res = await exec(
    opts.go,
    ['list', '-deps', '-f', '{{.ImportPath}} {{with .Module}}{{.Path}}{{end}}', ...packages],
    {
      cwd: opts.cwd,
      env: opts.env,
      onLine: (l, s) => s === 'stderr' && debugLines('go list')(l),
      context: 'resolving Go modules',
    },
  );
  const info: DepsInfo = { packages: 0, modules: new Set() };
  for (const line of res.stdout.split('\n')) {
    const [pkg, mod] = line.trim().split(' ');
    if (!pkg) continue;
    info.packages++;
    if (mod) info.modules.add(mod);
  }
  return info;
}

export interface GoBuildOptions extends GoRunOptions {
  /** Arguments after `go build` (flags, -o, packages). `-v` is added for progress. */
  args: readonly string[];
  /** What is being built, for progress lines. */
  label: string;
  /** Upper bound on packages compiled, for progress lines. */
  totalPackages?: number;
  /** How often to log a progress line. */
  progressEveryMs?: number;
}

/**
 * `go build -v ...`. With -v the go command names each package as it compiles it (packages
 * found in GOCACHE are not named), so the count of named packages against the dependency count
 * is a fair progress measure. -v changes no build inputs, so it does not disturb cache hits.
 */
export async function goBuild(opts: GoBuildOptions): Promise<void> {
  const t0 = performance.now();
  let compiled = 0;
  const every = opts.progressEveryMs ?? 60_000;
  const timer = setInterval(() => {
    const bound = opts.totalPackages ? ` of at most ${opts.totalPackages}` : '';
    log.info(
      `  ${opts.label}: compiled ${compiled}${bound} packages, ${formatSeconds(performance.now() - t0)} elapsed`,
    );
  }, every);
  timer.unref();
  try {
    await exec(opts.go, ['build', '-v', ...opts.args], {
      cwd: opts.cwd,
      env: opts.env,
      onLine: (line) => {
        // Package lines are bare import paths; anything else (go: downloading ..., compiler
        // messages) is not a compiled package.
        if (/^[\w.\-/~]+$/.test(line.trim())) compiled++;
        debugLines('go build')(line);
      },
      context: `building ${opts.label}`,
    });
  } finally {
    clearInterval(timer);
  }
}
