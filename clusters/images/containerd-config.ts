/**
 * containerd configuration of the node image, as data. Profiles do not write fragments into an
 * `imports` directory: containerd 1.7 merges an imported file *per plugin section*, so a
 * fragment holding one CRI key replaces the whole CRI section and the node silently loses its
 * sandbox image, SystemdCgroup and registry config_path. The cluster provider instead merges a
 * profile's values into the node's config.toml (clusters/kind/actions/write-node-files.ts).
 */
import { stringify } from 'smol-toml';
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

function isTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
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

export interface ContainerdConfigOptions {
  /** Changes to the CRI plugin section, deep-merged over NODE_CRI_CONFIG. */
  cri?: TomlTable;
  /** Other top-level settings (e.g. `{ debug: { level: 'debug' } }`), merged too. */
  top?: TomlTable;
}

/** The TOML text of the node's config.toml. */
export function containerdConfig(opts: ContainerdConfigOptions = {}): string {
  const cri = mergeToml(NODE_CRI_CONFIG, opts.cri ?? {});
  const body = mergeToml(
    { version: 2 },
    mergeToml(opts.top ?? {}, { plugins: { [CRI_PLUGIN]: cri } }),
  );
  return `# containerd configuration of tuneproof's node image (containerd 1.7, format 2), rendered\n# by clusters/images/containerd-config.ts; profiles' values are merged into it per node.\n${stringify(body)}\n`;
}
