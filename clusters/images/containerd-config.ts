/**
 * containerd configuration of the node image, as data, so that the node image and the tuning
 * profiles render it from one source.
 *
 * Why profiles must render the whole CRI section: the node's config.toml imports
 * /etc/containerd/conf.d/*.toml, but containerd 1.7 merges an imported file over the main one
 * *per plugin section*: a fragment holding only `[plugins."io.containerd.grpc.v1.cri"]
 * max_concurrent_downloads = 7` replaces the whole CRI section, and the node silently loses its
 * sandbox image, SystemdCgroup and registry config_path (seen with `containerd config dump` on
 * the node). So a profile writes `containerdConfig({ cri: { max_concurrent_downloads: 7 },
 * fragment: true })`: the base settings with its changes merged in.
 */
import { KUBEADM_IMAGES } from './versions.ts';

export type TomlValue =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | TomlTable;
export interface TomlTable {
  readonly [key: string]: TomlValue;
}

export const CRI_PLUGIN = 'io.containerd.grpc.v1.cri';
/** Where profiles put containerd fragments (imported by the node's config.toml). */
export const CONTAINERD_CONF_D = '/etc/containerd/conf.d';
/** Registry host configs (hosts.toml per registry), e.g. for a local pull-storm registry. */
export const CONTAINERD_CERTS_D = '/etc/containerd/certs.d';

/** The CRI plugin settings every tuneproof node starts from. */
export const NODE_CRI_CONFIG: TomlTable = {
  // Preloaded and pinned under this exact name: nothing is ever pulled for a sandbox.
  sandbox_image: KUBEADM_IMAGES.pause,
  // Node containers see no hugetlb controller on some hosts.
  tolerate_missing_hugetlb_controller: true,
  // Rewritten before each containerd start (tuneproof-containerd-prestart): true on nodes that
  // lack CAP_SYS_RESOURCE and so cannot give pods a lower oom_score_adj than containerd's.
  restrict_oom_score_adj: false,
  containerd: {
    snapshotter: 'overlayfs',
    default_runtime_name: 'runc',
    runtimes: {
      runc: {
        runtime_type: 'io.containerd.runc.v2',
        // kubelet uses the systemd cgroup driver; runc must agree.
        options: { SystemdCgroup: true },
      },
    },
  },
  cni: { bin_dir: '/opt/cni/bin', conf_dir: '/etc/cni/net.d' },
  registry: { config_path: CONTAINERD_CERTS_D },
};

function isTable(v: TomlValue | undefined): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge: tables merge key by key, anything else in `over` replaces what `base` has. */
export function mergeToml(base: TomlTable, over: TomlTable): TomlTable {
  const out: Record<string, TomlValue> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isTable(b) && isTable(v) ? mergeToml(b, v) : v;
  }
  return out;
}

function key(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function scalar(v: string | number | boolean): string {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(`TOML cannot hold ${v}`);
  return JSON.stringify(v);
}

/** A small TOML writer for what containerd configs use: scalars, scalar arrays, nested tables. */
export function toToml(table: TomlTable, path: string[] = []): string {
  const lines: string[] = [];
  const subtables: [string, TomlTable][] = [];
  for (const [k, v] of Object.entries(table)) {
    if (isTable(v)) subtables.push([k, v]);
    else if (Array.isArray(v)) lines.push(`${key(k)} = [${v.map(scalar).join(', ')}]`);
    else lines.push(`${key(k)} = ${scalar(v as string | number | boolean)}`);
  }
  let out = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  for (const [k, sub] of subtables) {
    const p = [...path, k];
    out += `\n[${p.map(key).join('.')}]\n${toToml(sub, p)}`;
  }
  return out;
}

export interface ContainerdConfigOptions {
  /** Changes to the CRI plugin section, deep-merged over NODE_CRI_CONFIG. */
  cri?: TomlTable;
  /** Other top-level settings (e.g. `{ debug: { level: 'debug' } }`), merged too. */
  top?: TomlTable;
  /** For a conf.d fragment: no `imports` line (imports are read from the main file only). */
  fragment?: boolean;
}

/** The TOML text of the node's config.toml, or of a complete conf.d fragment. */
export function containerdConfig(opts: ContainerdConfigOptions = {}): string {
  const cri = mergeToml(NODE_CRI_CONFIG, opts.cri ?? {});
  const head: TomlTable = opts.fragment
    ? { version: 2 }
    : { version: 2, imports: [`${CONTAINERD_CONF_D}/*.toml`] };
  const body = mergeToml(head, mergeToml(opts.top ?? {}, { plugins: { [CRI_PLUGIN]: cri } }));
  const why = opts.fragment
    ? "# tuneproof containerd fragment: the complete CRI section (containerd 1.7 replaces a\n# plugin section from an import as a whole), base settings plus the profile's changes.\n"
    : "# containerd configuration of tuneproof's node image (containerd 1.7, format 2), rendered\n# by clusters/images/containerd-config.ts. Fragments in conf.d must carry the whole CRI\n# section: an imported plugin section replaces this one entirely.\n";
  return `${why}${toToml(body)}`;
}
