/**
 * Just enough go.mod reading and writing to build programs whose own go.mod cannot be used
 * as-is from the module proxy. Kubernetes replaces its ~31 staging modules (k8s.io/api,
 * k8s.io/client-go, ...) with `./staging/...` directories and etcd replaces its sibling modules
 * with `../api` etc.; `go install pkg@version` refuses such modules, and as a dependency their
 * replace directives are ignored. So tuneproof generates a tiny wrapper module that requires the
 * program's module and pins each of those locally replaced modules to its published version.
 */

export interface ModuleVersion {
  path: string;
  version: string;
}

/** A replace directive whose target is a directory on disk (`=> ./staging/src/k8s.io/api`). */
export interface LocalReplace {
  path: string;
  dir: string;
}

export interface GoModFacts {
  module: string | undefined;
  /** The `go` directive, e.g. `1.24.0`. */
  go: string | undefined;
  localReplaces: LocalReplace[];
}

function stripComment(line: string): string {
  const i = line.indexOf('//');
  return (i < 0 ? line : line.slice(0, i)).trim();
}

function unquote(token: string): string {
  return token.startsWith('"') && token.endsWith('"') ? token.slice(1, -1) : token;
}

/** go.mod's rule: a replacement is a directory when it starts with ./ or ../ (or is absolute). */
function isDirTarget(target: string): boolean {
  return target.startsWith('./') || target.startsWith('../') || target.startsWith('/');
}

function parseReplace(spec: string): LocalReplace | undefined {
  const [left, right] = spec.split('=>').map((s) => s.trim());
  if (!left || !right) return undefined;
  const path = unquote(left.split(/\s+/)[0] ?? '');
  const targetTokens = right.split(/\s+/);
  const target = unquote(targetTokens[0] ?? '');
  // A directory replacement has no version; `=> ./x v1` is not valid go.mod.
  if (!path || targetTokens.length !== 1 || !isDirTarget(target)) return undefined;
  return { path, dir: target };
}

/** Reads the module path, go directive and directory replaces out of a go.mod text. */
export function parseGoMod(text: string): GoModFacts {
  const facts: GoModFacts = { module: undefined, go: undefined, localReplaces: [] };
  let block: string | undefined;
  for (const raw of text.split('\n')) {
    const line = stripComment(raw);
    if (!line) continue;
    if (block) {
      if (line === ')') block = undefined;
      else if (block === 'replace') {
        const r = parseReplace(line);
        if (r) facts.localReplaces.push(r);
      }
      continue;
    }
    const m = /^(\w+)\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, verb, rest = ''] = m;
    if (rest === '(') {
      block = verb;
      continue;
    }
    if (verb === 'module') facts.module = unquote(rest.trim());
    else if (verb === 'go') facts.go = rest.trim();
    else if (verb === 'replace') {
      const r = parseReplace(rest);
      if (r) facts.localReplaces.push(r);
    }
  }
  return facts;
}

export interface PinRule {
  /** The published version every locally replaced module is pinned to (e.g. `v0.34.4`). */
  version: string;
  /**
   * Replace targets to leave alone, by the directory's last element. etcd points modules it
   * must never depend on at `./FORBIDDEN_DEPENDENCY`: nothing requires them, so no pin.
   */
  skipDirs?: readonly string[];
}

/** The `replace path => path version` pins for one module's directory replaces. */
export function pinLocalReplaces(goMod: string, rule: PinRule): ModuleVersion[] {
  const skip = new Set(rule.skipDirs ?? []);
  return parseGoMod(goMod)
    .localReplaces.filter((r) => !skip.has(r.dir.replace(/\/+$/, '').split('/').pop() ?? ''))
    .map((r) => ({ path: r.path, version: rule.version }));
}

/** Compares go directive versions (`1.24`, `1.24.0`, `1.25rc1` is treated as `1.25`). */
export function compareGoVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export interface WrapperModule {
  module: string;
  go: string;
  require: readonly ModuleVersion[];
  replace: readonly ModuleVersion[];
}

/**
 * The wrapper's requirements: the program's modules plus every pin the build actually uses,
 * required at its pinned version.
 *
 * Why require the pins at all: kubernetes' go.mod requires its staging modules as `v0.0.0`.
 * With module graph pruning, whether a staging module ends up selected as `v0.0.0 => v0.34.4` or
 * as `v0.34.4` depends on which go.mod files happen to be loaded (a `go mod tidy` changes it).
 * The selected version is part of every package's -trimpath file names, so it changes the
 * compile actions (GOCACHE misses) and what `go version -m` reports; requiring each pin makes it
 * `v0.34.4` everywhere. Why only the used ones: requiring a module makes the go command load its
 * go.mod, and the proxy refuses some unused ones (k8s.io/sample-cli-plugin v0.34.4: 403).
 */
export function requiredWithPins(
  require: readonly ModuleVersion[],
  pins: readonly ModuleVersion[],
  usedModules: ReadonlySet<string>,
): ModuleVersion[] {
  const own = new Set(require.map((r) => r.path));
  const used = pins.filter((p) => usedModules.has(p.path) && !own.has(p.path));
  return [...require, ...used.sort(byPath)];
}

function byPath(a: ModuleVersion, b: ModuleVersion): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/**
 * Renders the wrapper go.mod: the requirements as given and each pin as
 * `replace path => path version`. The go command fills in the indirect requirements (builds
 * run with -mod=mod), and minimal version selection over the required modules' own go.mod files
 * gives the build list the upstream release used, except that the locally replaced modules come
 * from the proxy.
 */
export function renderWrapperGoMod(w: WrapperModule): string {
  const replaces = [...w.replace].sort(byPath);
  const lines = [`module ${w.module}`, '', `go ${w.go}`, '', 'require ('];
  for (const r of w.require) lines.push(`\t${r.path} ${r.version}`);
  lines.push(')');
  if (replaces.length > 0) {
    lines.push('', 'replace (');
    for (const r of replaces) lines.push(`\t${r.path} => ${r.path} ${r.version}`);
    lines.push(')');
  }
  return `${lines.join('\n')}\n`;
}
