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
  | 'etcd-disk-stall'
  | 'zone-outage'
  | 'pod-churn';

/**
 * Where a knob's value can live in a kind cluster. `host-global` knobs (fs.*, vm.*, conntrack
 * limits) belong to the kernel shared by every node container: one node cannot have its own value.
 */
export type Scope = 'cluster' | 'per-node' | 'host-global';

/**
 * Value types carry the upstream type's real range: an int32 config field, a Go int flag, a
 * float32 QPS, a sysctl the kernel reads as an int. A value outside it is refused here rather than
 * by the component at cluster start (or, worse, wrapped around or rounded silently).
 */
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
  /**
   * A sysctl value: an integer, or `count` integers separated by spaces, each within min..max
   * (the kernel handler's range: proc_dointvec is int, proc_dou8vec u8, jiffies ints / HZ...).
   */
  | { kind: 'sysctl'; min?: number; max?: number; count?: number };

/** Upstream integer ranges. Go `int` is 64-bit; tuneproof carries integers exactly up to 2^53-1. */
export const int32Max = 2 ** 31 - 1;
export const uint32Max = 2 ** 32 - 1;
export const exactIntMax = Number.MAX_SAFE_INTEGER;
export const float32Max = 3.4028234663852886e38;

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
