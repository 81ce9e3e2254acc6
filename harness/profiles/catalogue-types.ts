/** The components a profile tunes; each is a section under `spec` in a profile. */
export const components = [
  'apiServer',
  'controllerManager',
  'scheduler',
  'etcd',
  'kubelet',
  'containerd',
  'kubeProxy',
  'sysctls',
  'ulimits',
] as const;
export type Component = (typeof components)[number];

/** Scenario names, as in scenarios/<name>/. */
export type ScenarioName =
  | 'apiserver-load'
  | 'image-pull-storm'
  | 'node-unreachable'
  | 'etcd-disk-stall';

/**
 * Where a knob's value can live in a kind cluster. `host-global` knobs (fs.*, vm.*, conntrack
 * limits) belong to the kernel shared by every node container: one node cannot have its own value.
 */
export type Scope = 'cluster' | 'per-node' | 'host-global';

export type ValueType =
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'float'; min?: number; max?: number }
  | { kind: 'bool' }
  /** A Go duration string ("20s", "1m30s"); bounds in milliseconds. */
  | { kind: 'duration'; minMs?: number; maxMs?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'string' }
  /** A map of known keys to Kubernetes quantities or percentages ("100Mi", "10%"). */
  | { kind: 'quantity-map'; keys: readonly string[] }
  /** A sysctl value: an integer or a space-separated string of integers. */
  | { kind: 'sysctl' };

export interface Knob {
  component: Component;
  /** The upstream name: a flag without dashes' prefix, a config field path, a sysctl key. */
  key: string;
  type: ValueType;
  /** Unit of an int/float value ("requests", "seconds", "bytes", "ms", "nodes/s"). */
  unit?: string;
  /** Upstream default; undefined when it is unset upstream or depends on the machine. */
  default?: unknown;
  /** Said instead of (or besides) the default where it needs explaining. */
  defaultNote?: string;
  scope: Scope;
  description: string;
  /** Scenarios whose numbers this knob should move. */
  scenarios: readonly ScenarioName[];
}

/** `component.key`, the identity of a knob in profiles, diffs and effective config. */
export const knobId = (k: { component: string; key: string }): string => `${k.component}.${k.key}`;
