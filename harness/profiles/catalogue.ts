import {
  type Component,
  exactIntMax,
  float32Max,
  int32Max,
  type Knob,
  knobId,
  type ScenarioName,
  uint32Max,
  type ValueType,
} from './catalogue-types.ts';

/**
 * Every knob tuneproof knows: upstream defaults and what moves them, from the production
 * write-ups summarised in docs/tuning-parameters.md. Names are the upstream flag names (without
 * `--`) and config field paths, so an operator recognises them.
 */
const int = (min?: number, max?: number): ValueType => ({ kind: 'int', min, max });
/** int32 fields (most KubeletConfiguration and KubeProxyConfiguration integers, client burst). */
const int32 = (min: number, max = int32Max): ValueType => int(min, max);
/** Go `int`/`int64`/`uint` flags: 64-bit upstream, capped at what a JS number holds exactly. */
const int64 = (min: number, max = exactIntMax): ValueType => int(min, max);
const float = (min?: number, max?: number): ValueType => ({ kind: 'float', min, max });
/** float32 fields (client QPS): a larger value would become +Inf upstream. */
const float32 = (min: number, max = float32Max): ValueType => float(min, max);
/** float64 flags: any finite number. */
const float64 = (min: number, max = Number.MAX_VALUE): ValueType => float(min, max);
const bool: ValueType = { kind: 'bool' };
const duration = (minMs?: number, maxMs?: number): ValueType => ({
  kind: 'duration',
  minMs,
  maxMs,
});
/** A sysctl read by proc_dointvec (an int): 0..INT_MAX unless the handler narrows it. */
const sysctl = (min = 0, max = int32Max, count = 1): ValueType => ({
  kind: 'sysctl',
  min,
  max,
  count,
});
/** A sysctl held in jiffies: the kernel multiplies seconds by HZ (up to 1000) into an int. */
const sysctlSeconds = (min = 0): ValueType => sysctl(min, Math.floor(int32Max / 1000));

type KnobSpec = Omit<Knob, 'component' | 'scope'> & { scope?: Knob['scope'] };

function section(component: Component, scope: Knob['scope'], specs: KnobSpec[]): Knob[] {
  return specs.map((s) => ({ scope, ...s, component }));
}

const load: ScenarioName[] = ['apiserver-load'];
const storm: ScenarioName[] = ['image-pull-storm'];
const unreachable: ScenarioName[] = ['node-unreachable'];
/** The node lifecycle knobs: one node (node-unreachable) or a zone of simulated ones. */
const zoneOutage: ScenarioName[] = ['node-unreachable', 'zone-outage'];
const stall: ScenarioName[] = ['etcd-disk-stall'];

const leaderElection = (): KnobSpec[] => [
  {
    key: 'leader-elect-lease-duration',
    type: duration(1000),
    default: '15s',
    description: 'How long a non-leader waits before trying to take over leadership.',
    scenarios: stall,
  },
  {
    key: 'leader-elect-renew-deadline',
    type: duration(1000),
    default: '10s',
    description: 'How long the leader retries renewing before giving up leadership.',
    scenarios: stall,
  },
  {
    key: 'leader-elect-retry-period',
    type: duration(100),
    default: '2s',
    description: 'Wait between attempts to acquire or renew leadership.',
    scenarios: stall,
  },
];

export const catalogue: readonly Knob[] = [
  ...section('apiServer', 'cluster', [
    {
      key: 'max-requests-inflight',
      type: int64(0),
      unit: 'requests',
      default: 400,
      description: 'Non-mutating requests in flight; with APF on, part of the total concurrency.',
      scenarios: load,
    },
    {
      key: 'max-mutating-requests-inflight',
      type: int64(0),
      unit: 'requests',
      default: 200,
      description: 'Mutating requests in flight; with APF on, part of the total concurrency.',
      scenarios: load,
    },
    {
      key: 'enable-priority-and-fairness',
      type: bool,
      default: true,
      description:
        'API Priority and Fairness: queues requests per flow instead of rejecting at once.',
      scenarios: load,
    },
    {
      key: 'default-not-ready-toleration-seconds',
      type: int64(0),
      unit: 'seconds',
      default: 300,
      description: 'Toleration added to every pod for node.kubernetes.io/not-ready:NoExecute.',
      scenarios: unreachable,
    },
    {
      key: 'default-unreachable-toleration-seconds',
      type: int64(0),
      unit: 'seconds',
      default: 300,
      description:
        'Toleration added to every pod for node.kubernetes.io/unreachable:NoExecute: how long pods stay bound to a lost node.',
      scenarios: unreachable,
    },
    {
      key: 'request-timeout',
      type: duration(1000),
      default: '1m0s',
      description: 'Default timeout for non-watch requests (large LISTs need it).',
      scenarios: load,
    },
    {
      key: 'min-request-timeout',
      type: int64(0),
      unit: 'seconds',
      default: 1800,
      description: 'Minimum timeout of watch requests (randomised up to 2x).',
      scenarios: [],
    },
    {
      key: 'goaway-chance',
      type: float64(0, 0.02),
      default: 0,
      description:
        'Chance to send HTTP/2 GOAWAY to rebalance clients; only with several apiservers.',
      scenarios: [],
    },
    {
      key: 'http2-max-streams-per-connection',
      type: int64(0),
      default: 0,
      defaultNote: '0 means the Go default (250)',
      description: 'Concurrent HTTP/2 streams per client connection.',
      scenarios: load,
    },
    {
      key: 'watch-cache',
      type: bool,
      default: true,
      description: 'Serve LIST/WATCH from the apiserver cache instead of etcd.',
      scenarios: load,
    },
    {
      key: 'etcd-servers-overrides',
      type: { kind: 'string' },
      description: 'Per-resource etcd servers, e.g. /events#http://... for a separate events etcd.',
      scenarios: load,
    },
  ]),
  ...section('controllerManager', 'cluster', [
    {
      key: 'node-monitor-grace-period',
      type: duration(1000),
      default: '50s',
      defaultNote: '50s since v1.32 (40s before)',
      description: 'How long a node may not report before it is marked NotReady/Unknown.',
      scenarios: zoneOutage,
    },
    {
      key: 'node-monitor-period',
      type: duration(100),
      default: '5s',
      description: 'How often the node controller checks node health.',
      scenarios: zoneOutage,
    },
    {
      key: 'node-eviction-rate',
      type: float32(0),
      unit: 'nodes/s',
      default: 0.1,
      description: 'Nodes per second whose pods are evicted when a zone is healthy.',
      scenarios: zoneOutage,
    },
    {
      key: 'secondary-node-eviction-rate',
      type: float32(0),
      unit: 'nodes/s',
      default: 0.01,
      description:
        'Eviction rate when a zone is unhealthy (0 at or below large-cluster-size-threshold).',
      scenarios: zoneOutage,
    },
    {
      key: 'unhealthy-zone-threshold',
      type: float32(0, 1),
      default: 0.55,
      description:
        'Fraction of NotReady nodes that makes a zone unhealthy (evictions slow or stop).',
      scenarios: zoneOutage,
    },
    {
      key: 'large-cluster-size-threshold',
      type: int32(0),
      unit: 'nodes',
      default: 50,
      description: 'At or below this size the secondary eviction rate is 0.',
      scenarios: zoneOutage,
    },
    {
      key: 'kube-api-qps',
      type: float32(0),
      unit: 'requests/s',
      default: 20,
      description: 'QPS of the controller-manager talking to the apiserver.',
      scenarios: ['pod-churn', 'apiserver-load', 'image-pull-storm'],
    },
    {
      key: 'kube-api-burst',
      type: int32(0),
      unit: 'requests',
      default: 30,
      description: 'Burst of the controller-manager talking to the apiserver.',
      scenarios: ['pod-churn', 'apiserver-load', 'image-pull-storm'],
    },
    {
      key: 'terminated-pod-gc-threshold',
      type: int32(0),
      unit: 'pods',
      default: 12500,
      description: 'Terminated pods kept before the pod GC deletes them.',
      scenarios: [],
    },
    {
      key: 'concurrent-deployment-syncs',
      type: int32(1),
      default: 5,
      description: 'Deployments synced concurrently.',
      scenarios: ['pod-churn', ...storm],
    },
    {
      key: 'concurrent-replicaset-syncs',
      type: int32(1),
      default: 5,
      description: 'ReplicaSets synced concurrently.',
      scenarios: ['pod-churn', ...storm],
    },
    {
      key: 'concurrent-endpoint-syncs',
      type: int32(1),
      default: 5,
      description: 'Endpoints synced concurrently.',
      scenarios: unreachable,
    },
    {
      key: 'horizontal-pod-autoscaler-tolerance',
      type: float64(0, 1),
      default: 0.1,
      description: 'Minimum change in the metric ratio before the HPA scales.',
      scenarios: [],
    },
    ...leaderElection(),
  ]),
  ...section('scheduler', 'cluster', [
    {
      key: 'kube-api-qps',
      type: float32(0),
      unit: 'requests/s',
      default: 50,
      description: 'QPS of the scheduler talking to the apiserver (bindings).',
      scenarios: ['pod-churn', ...storm],
    },
    {
      key: 'kube-api-burst',
      type: int32(0),
      unit: 'requests',
      default: 100,
      description: 'Burst of the scheduler talking to the apiserver.',
      scenarios: ['pod-churn', ...storm],
    },
    ...leaderElection(),
  ]),
  ...section('etcd', 'cluster', [
    {
      key: 'quota-backend-bytes',
      type: int64(0, 100 * 1024 ** 3),
      unit: 'bytes',
      default: 2147483648,
      description:
        'Backend size at which etcd raises a NOSPACE alarm (8 GiB is the suggested maximum).',
      scenarios: load,
    },
    {
      key: 'heartbeat-interval',
      type: int64(1),
      unit: 'ms',
      default: 100,
      description: 'Leader heartbeat interval; about the round-trip time between members.',
      scenarios: stall,
    },
    {
      key: 'election-timeout',
      type: int64(1),
      unit: 'ms',
      default: 1000,
      description: 'Time without heartbeat before a follower starts an election (>= 5x heartbeat).',
      scenarios: stall,
    },
    {
      key: 'snapshot-count',
      type: int64(1),
      unit: 'entries',
      default: 10000,
      description: 'Committed entries between snapshots.',
      scenarios: load,
    },
    {
      key: 'auto-compaction-mode',
      type: { kind: 'enum', values: ['periodic', 'revision'] },
      default: 'periodic',
      description: 'How auto-compaction retention is counted.',
      scenarios: load,
    },
    {
      key: 'auto-compaction-retention',
      type: { kind: 'string' },
      default: '0',
      defaultNote: '0 disables etcd auto-compaction (the apiserver compacts every 5 minutes)',
      description: 'Retention for auto-compaction (hours or a duration in periodic mode).',
      scenarios: load,
    },
  ]),
  ...section('kubelet', 'per-node', [
    {
      key: 'serializeImagePulls',
      type: bool,
      default: true,
      description: 'Pull one image at a time; one large image then blocks every other pull.',
      scenarios: storm,
    },
    {
      key: 'maxParallelImagePulls',
      type: int32(1),
      unit: 'pulls',
      defaultNote: 'unset: no limit when pulls are not serialized',
      description: 'Image pulls in flight at once (only with serializeImagePulls: false).',
      scenarios: storm,
    },
    {
      key: 'registryPullQPS',
      type: int32(0),
      unit: 'pulls/s',
      default: 5,
      description: 'Registry pulls per second (0 = no limit).',
      scenarios: storm,
    },
    {
      key: 'registryBurst',
      type: int32(0),
      unit: 'pulls',
      default: 10,
      description: 'Burst of registry pulls.',
      scenarios: storm,
    },
    {
      key: 'imageMinimumGCAge',
      type: duration(0),
      default: '2m0s',
      description: 'Minimum age of an unused image before it can be garbage-collected.',
      scenarios: storm,
    },
    {
      key: 'imageGCHighThresholdPercent',
      type: int32(0, 100),
      unit: 'percent',
      default: 85,
      description:
        'Disk usage that starts image GC (kind sets 100: the default profile states 85).',
      scenarios: storm,
    },
    {
      key: 'imageGCLowThresholdPercent',
      type: int32(0, 100),
      unit: 'percent',
      default: 80,
      description: 'Disk usage image GC frees down to.',
      scenarios: storm,
    },
    {
      key: 'nodeStatusUpdateFrequency',
      type: duration(1000),
      default: '10s',
      description:
        'How often the kubelet computes node status (must fit node-monitor-grace-period).',
      scenarios: unreachable,
    },
    {
      key: 'nodeStatusReportFrequency',
      type: duration(1000),
      default: '5m0s',
      description: 'How often an unchanged node status is posted (the lease carries liveness).',
      scenarios: unreachable,
    },
    {
      key: 'nodeLeaseDurationSeconds',
      type: int32(1),
      unit: 'seconds',
      default: 40,
      description: 'Node lease duration; the kubelet renews it every quarter of this.',
      scenarios: unreachable,
    },
    {
      key: 'maxPods',
      type: int32(1),
      unit: 'pods',
      default: 110,
      description: 'Pods per node.',
      scenarios: storm,
    },
    {
      key: 'evictionHard',
      type: {
        kind: 'quantity-map',
        keys: [
          'memory.available',
          'nodefs.available',
          'nodefs.inodesFree',
          'imagefs.available',
          'imagefs.inodesFree',
          'pid.available',
        ],
      },
      default: {
        'memory.available': '100Mi',
        'nodefs.available': '10%',
        'nodefs.inodesFree': '5%',
        'imagefs.available': '15%',
      },
      defaultNote: 'kind sets nodefs/imagefs to 0%: the default profile states the upstream values',
      description: 'Hard eviction thresholds. Signals left out are disabled, not defaulted.',
      scenarios: [],
    },
    {
      key: 'kubeReserved',
      type: { kind: 'quantity-map', keys: ['cpu', 'memory', 'ephemeral-storage', 'pid'] },
      description: 'Resources reserved for Kubernetes daemons.',
      scenarios: [],
    },
    {
      key: 'systemReserved',
      type: { kind: 'quantity-map', keys: ['cpu', 'memory', 'ephemeral-storage', 'pid'] },
      description: 'Resources reserved for the OS.',
      scenarios: [],
    },
    {
      key: 'maxOpenFiles',
      type: int64(1),
      unit: 'files',
      default: 1000000,
      description: 'Files the kubelet process may open.',
      scenarios: [],
    },
    {
      key: 'podPidsLimit',
      type: int64(-1),
      unit: 'pids',
      default: -1,
      description: 'PIDs per pod (-1 = no limit).',
      scenarios: [],
    },
    {
      key: 'configMapAndSecretChangeDetectionStrategy',
      type: { kind: 'enum', values: ['Get', 'Cache', 'Watch'] },
      default: 'Watch',
      description:
        'How the kubelet notices ConfigMap/Secret changes (Watch opens a watch per object).',
      scenarios: load,
    },
    {
      key: 'kubeAPIQPS',
      type: int32(0),
      unit: 'requests/s',
      default: 50,
      description: 'QPS of the kubelet talking to the apiserver.',
      scenarios: storm,
    },
    {
      key: 'kubeAPIBurst',
      type: int32(0),
      unit: 'requests',
      default: 100,
      description: 'Burst of the kubelet talking to the apiserver.',
      scenarios: storm,
    },
  ]),
  ...section('containerd', 'per-node', [
    {
      key: 'max_concurrent_downloads',
      type: int64(1),
      unit: 'layers',
      default: 3,
      description: 'Layers downloaded at once per image pull (CRI plugin).',
      scenarios: storm,
    },
  ]),
  ...section('kubeProxy', 'cluster', [
    {
      key: 'mode',
      type: { kind: 'enum', values: ['iptables', 'nftables'] },
      default: 'iptables',
      defaultNote: 'ipvs is not offered: the kernels tuneproof runs on here have no IPVS',
      description: 'Proxy mode.',
      scenarios: unreachable,
    },
    {
      key: 'conntrack.maxPerCore',
      type: int32(0),
      scope: 'host-global',
      default: 32768,
      description: 'Sets nf_conntrack_max (per core): a host-global kernel limit in kind.',
      scenarios: [],
    },
    {
      key: 'conntrack.min',
      type: int32(0),
      scope: 'host-global',
      default: 131072,
      description: 'Floor of nf_conntrack_max: a host-global kernel limit in kind.',
      scenarios: [],
    },
    {
      key: 'conntrack.tcpEstablishedTimeout',
      type: duration(0),
      scope: 'per-node',
      default: '24h0m0s',
      description:
        'Idle timeout of established TCP conntrack entries (nf_conntrack_tcp_timeout_established).',
      scenarios: unreachable,
    },
    {
      key: 'conntrack.tcpCloseWaitTimeout',
      type: duration(0),
      scope: 'per-node',
      default: '1h0m0s',
      description: 'Timeout of CLOSE_WAIT conntrack entries.',
      scenarios: [],
    },
  ]),
  ...section('sysctls', 'per-node', [
    {
      key: 'net.core.somaxconn',
      type: sysctl(),
      default: 4096,
      defaultNote: '4096 since kernel 5.4 (128 before)',
      description: 'Listen backlog limit.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_max_syn_backlog',
      type: sysctl(),
      defaultNote: 'kernel default, memory-dependent',
      description: 'Half-open connections queued per listener.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_syncookies',
      type: sysctl(0, 2),
      default: 1,
      description: 'SYN cookies when the SYN queue overflows.',
      scenarios: [],
    },
    {
      key: 'net.ipv4.tcp_syn_retries',
      type: sysctl(1, 127),
      default: 6,
      description: 'SYN retransmits before connect() fails (6 = about 127 s).',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_synack_retries',
      type: sysctl(0, 255),
      default: 5,
      description: 'SYN-ACK retransmits for passive opens.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_fin_timeout',
      type: sysctlSeconds(),
      default: 60,
      description: 'Seconds an orphaned connection stays in FIN-WAIT-2.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_tw_reuse',
      type: sysctl(0, 2),
      default: 2,
      description: 'Reuse TIME_WAIT sockets for new outgoing connections (2 = loopback only).',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_max_tw_buckets',
      type: sysctl(),
      defaultNote: 'kernel default, memory-dependent',
      description: 'TIME_WAIT sockets kept at most.',
      scenarios: [],
    },
    {
      key: 'net.ipv4.tcp_keepalive_time',
      type: sysctlSeconds(1),
      default: 7200,
      description: 'Idle seconds before TCP keepalive probes.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_keepalive_intvl',
      type: sysctlSeconds(1),
      default: 75,
      description: 'Seconds between keepalive probes.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.tcp_keepalive_probes',
      type: sysctl(1, 255),
      default: 9,
      description: 'Unanswered probes before the connection is dropped.',
      scenarios: unreachable,
    },
    {
      key: 'net.ipv4.ip_local_port_range',
      type: sysctl(1, 65535, 2),
      default: '32768 60999',
      description: 'Ephemeral port range.',
      scenarios: [],
    },
    {
      key: 'net.ipv4.neigh.default.gc_thresh1',
      type: sysctl(),
      scope: 'host-global',
      default: 128,
      description:
        'ARP/neighbour entries below which GC never runs (only the host network namespace has it).',
      scenarios: [],
    },
    {
      key: 'net.ipv4.neigh.default.gc_thresh2',
      type: sysctl(),
      scope: 'host-global',
      default: 512,
      description: 'Soft limit of neighbour entries.',
      scenarios: [],
    },
    {
      key: 'net.ipv4.neigh.default.gc_thresh3',
      type: sysctl(),
      scope: 'host-global',
      default: 1024,
      description: 'Hard limit of neighbour entries.',
      scenarios: [],
    },
    {
      key: 'net.core.netdev_max_backlog',
      type: sysctl(),
      scope: 'host-global',
      default: 1000,
      description:
        'Packets queued on input when the interface receives faster than the kernel processes.',
      scenarios: [],
    },
    {
      key: 'net.netfilter.nf_conntrack_max',
      type: sysctl(),
      scope: 'host-global',
      defaultNote: 'kernel default, memory-dependent',
      description: 'Conntrack table size.',
      scenarios: [],
    },
    {
      key: 'net.netfilter.nf_conntrack_buckets',
      type: sysctl(1, uint32Max),
      scope: 'host-global',
      defaultNote: 'kernel default, memory-dependent',
      description: 'Conntrack hash buckets.',
      scenarios: [],
    },
    {
      key: 'net.netfilter.nf_conntrack_tcp_timeout_established',
      type: sysctlSeconds(),
      default: 432000,
      description: 'Established TCP conntrack timeout (seconds).',
      scenarios: [],
    },
    {
      key: 'fs.file-max',
      type: sysctl(0, exactIntMax),
      scope: 'host-global',
      defaultNote: 'kernel default, memory-dependent',
      description: 'System-wide open files.',
      scenarios: [],
    },
    {
      key: 'fs.inotify.max_user_instances',
      type: sysctl(),
      scope: 'host-global',
      default: 128,
      description: 'inotify instances per user (also limits how many kind nodes fit).',
      scenarios: [],
    },
    {
      key: 'fs.inotify.max_user_watches',
      type: sysctl(),
      scope: 'host-global',
      default: 8192,
      description: 'inotify watches per user.',
      scenarios: [],
    },
    {
      key: 'vm.swappiness',
      type: sysctl(0, 200),
      scope: 'host-global',
      default: 60,
      description: 'Tendency to swap.',
      scenarios: [],
    },
    {
      key: 'vm.max_map_count',
      type: sysctl(),
      scope: 'host-global',
      default: 65530,
      description: 'Memory map areas per process.',
      scenarios: [],
    },
  ]),
  ...section('ulimits', 'per-node', [
    {
      key: 'nofile',
      type: int(64, 1 << 30),
      unit: 'files',
      defaultNote:
        "the container runtime's default (1048576 with Debian's docker.io); 1024 on hosts with stock limits.conf",
      description: 'Open files per process in the node (soft = hard).',
      scenarios: [],
    },
    {
      key: 'nproc',
      type: int(64, 1 << 22),
      unit: 'processes',
      defaultNote: "the container runtime's default (unlimited)",
      description: 'Processes per user in the node (soft = hard).',
      scenarios: [],
    },
  ]),
];

const byId = new Map(catalogue.map((k) => [knobId(k), k]));

export function findKnob(component: string, key: string): Knob | undefined {
  return byId.get(`${component}.${key}`);
}

export function knobsOf(component: Component): Knob[] {
  return catalogue.filter((k) => k.component === component);
}
