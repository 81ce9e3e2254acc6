import { parse as parseToml } from 'smol-toml';
import type {
  EffectiveConfigEntry,
  Observation,
  PodObservation,
} from '../harness/profiles/index.ts';
import { pidOf } from './pid-of.ts';
import type { NodeHandle } from './provider.ts';

/**
 * Reads a profile's knobs back from a running cluster, from what the components really run with
 * (process command lines, kubelet /configz, containerd's merged config, the node's sysctls, the
 * kubelet's limits), never from the files tuneproof wrote: a value that did not take shows.
 */

/** `--name=value` flags of a NUL- or newline-separated command line. */
export function parseFlags(cmdline: string): Map<string, string> {
  const flags = new Map<string, string>();
  const args = cmdline.split(/[\0\n]/).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
    else if (args[i + 1] !== undefined && !args[i + 1]!.startsWith('--'))
      flags.set(a.slice(2), args[++i]!);
    else flags.set(a.slice(2), 'true');
  }
  return flags;
}

/** Soft limits from /proc/<pid>/limits, keyed by ulimit name. */
export function parseLimits(text: string): Record<string, number | 'unlimited'> {
  const names: Record<string, string> = { 'Max open files': 'nofile', 'Max processes': 'nproc' };
  const out: Record<string, number | 'unlimited'> = {};
  for (const line of text.split('\n')) {
    for (const [label, name] of Object.entries(names)) {
      if (!line.startsWith(label)) continue;
      const soft = line.slice(label.length).trim().split(/\s+/)[0];
      out[name] = soft === 'unlimited' ? 'unlimited' : Number(soft);
    }
  }
  return out;
}

/** The body of an HTTP/1.0 response read off a raw socket. */
export function httpBody(raw: string): string {
  const i = raw.indexOf('\r\n\r\n');
  return i < 0 ? raw : raw.slice(i + 4);
}

/** A field of a Go-serialised struct, whose JSON keys may be capitalised ("Mode" for mode). */
export function fieldOf(obj: unknown, key: string): unknown {
  if (typeof obj !== 'object' || obj === null) return undefined;
  const rec = obj as Record<string, unknown>;
  if (key in rec) return rec[key];
  const found = Object.keys(rec).find((k) => k.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : rec[found];
}

const processOf: Record<string, string> = {
  apiServer: 'kube-apiserver',
  controllerManager: 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  etcd: 'etcd',
};

/** kube-proxy conntrack settings land in these per-netns sysctls (seconds). */
const conntrackSysctl: Record<string, string> = {
  'conntrack.tcpEstablishedTimeout': 'net.netfilter.nf_conntrack_tcp_timeout_established',
  'conntrack.tcpCloseWaitTimeout': 'net.netfilter.nf_conntrack_tcp_timeout_close_wait',
};

/**
 * In one exec on a node, what its pods see: the first running container (crictl) whose network
 * namespace is not the node's (a pod that is not hostNetwork), its limits and its netns' net.*
 * sysctls; with no such pod, the sysctls of a new network namespace made as containerd makes a
 * pod's (unshare(CLONE_NEWNET): the kernel's per-namespace defaults). Output: a "pod <pid>
 * <name>" or "pod -" line, the limits file, then "sysctls" and `sysctl -a` lines.
 */
const POD_VIEW_SCRIPT = `node_net=$(readlink /proc/1/ns/net); pid=; name=
for id in $(crictl ps -q 2>/dev/null); do
  p=$(crictl inspect -o go-template --template '{{.info.pid}}' "$id" 2>/dev/null) || continue
  [ -n "$p" ] && [ "$(readlink /proc/$p/ns/net)" != "$node_net" ] || continue
  pid=$p; name=$(crictl inspect -o go-template --template '{{.status.metadata.name}}' "$id"); break
done
if [ -n "$pid" ]; then
  echo "pod $pid $name"; cat /proc/$pid/limits; echo sysctls; nsenter -t "$pid" -n sysctl -a -r '^net.' 2>/dev/null
else
  echo "pod -"; echo sysctls; unshare --net sysctl -a -r '^net.' 2>/dev/null
fi`;

/** What the pods of a node see, parsed from POD_VIEW_SCRIPT's output. */
export interface PodView {
  /** The pod container read, or undefined when none ran (sysctls from a new netns). */
  pod?: string;
  limits: Record<string, number | 'unlimited'>;
  sysctls: Map<string, string>;
}

export function parsePodView(out: string): PodView {
  const [head = '', ...rest] = out.split('\n');
  const at = rest.indexOf('sysctls');
  const m = /^pod (\d+) (.+)$/.exec(head.trim());
  const sysctls = new Map<string, string>();
  for (const line of at < 0 ? [] : rest.slice(at + 1)) {
    const eq = line.indexOf(' = ');
    if (eq > 0) sysctls.set(line.slice(0, eq).trim(), line.slice(eq + 3).trim());
  }
  return {
    ...(m ? { pod: m[2]! } : {}),
    limits: m ? parseLimits(rest.slice(0, at < 0 ? rest.length : at).join('\n')) : {},
    sysctls,
  };
}

export interface ReadbackSources {
  nodes: readonly NodeHandle[];
  /** GET a path on the apiserver (for /api/v1/nodes/<n>/proxy/configz). */
  getRaw(path: string): Promise<string>;
}

/** Builds the observe() function for observeConfig, caching what each node is asked once. */
export function makeObserver(
  src: ReadbackSources,
): (entry: EffectiveConfigEntry) => Promise<Observation | undefined> {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, fn());
    return cache.get(key) as Promise<T>;
  };
  const controlPlane = src.nodes.find((n) => n.role === 'control-plane')!;
  const nodeByName = (name?: string) => src.nodes.find((n) => n.name === name) ?? controlPlane;
  const sh = async (node: NodeHandle, script: string) =>
    (await node.exec(['sh', '-c', script], { allowFailure: true })).stdout;

  const flagsOf = (process: string) =>
    once(`flags:${process}`, async () => {
      const pid = await pidOf(controlPlane, process);
      if (pid === undefined) return undefined;
      return parseFlags(await sh(controlPlane, `cat /proc/${pid}/cmdline`));
    });
  const configz = (node: NodeHandle) =>
    once(`configz:${node.name}`, async () => {
      const body = JSON.parse(await src.getRaw(`/api/v1/nodes/${node.name}/proxy/configz`)) as {
        kubeletconfig?: Record<string, unknown>;
      };
      return body.kubeletconfig ?? {};
    });
  const containerdConfig = (node: NodeHandle) =>
    once(
      `containerd:${node.name}`,
      async () =>
        parseToml(await sh(node, 'containerd config dump')) as {
          plugins?: Record<string, unknown>;
        },
    );
  const kubeProxyConfigz = (node: NodeHandle) =>
    once(`kube-proxy:${node.name}`, async () => {
      // kube-proxy serves /configz on 127.0.0.1:10249 in the node's netns; the node has bash's
      // /dev/tcp, not curl. The body uses Go field names: {"kubeproxy.config.k8s.io": {"Mode": ...}}
      const r = await node.exec(
        [
          'bash',
          '-c',
          `exec 3<>/dev/tcp/127.0.0.1/10249 && printf 'GET /configz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3`,
        ],
        { allowFailure: true },
      );
      const body = JSON.parse(httpBody(r.stdout)) as Record<string, Record<string, unknown>>;
      return body['kubeproxy.config.k8s.io'] ?? {};
    });
  const sysctl = (node: NodeHandle, key: string) =>
    once(`sysctl:${node.name}:${key}`, async () => (await sh(node, `sysctl -n ${key}`)).trim());
  const podView = (node: NodeHandle) =>
    once(`pods:${node.name}`, async () => parsePodView(await sh(node, POD_VIEW_SCRIPT)));
  /** A network-namespaced sysctl as the node's pods see it. */
  const sysctlInPods = async (node: NodeHandle, key: string): Promise<PodObservation> => {
    const view = await podView(node);
    const v = view.sysctls.get(key);
    if (v === undefined)
      return { unreadable: `sysctl ${key} is not readable in a pod's network namespace` };
    return {
      value: v,
      note: view.pod
        ? `read in the network namespace of pod container ${view.pod}`
        : "no pod on this node at read-back: read in a new network namespace, made as a pod's is",
    };
  };
  const ulimitInPods = async (node: NodeHandle, key: string): Promise<PodObservation> => {
    const view = await podView(node);
    if (!view.pod) return { unreadable: 'no pod ran on this node at read-back' };
    const v = view.limits[key];
    return v === undefined
      ? { unreadable: `no ${key} in the limits of pod container ${view.pod}` }
      : { value: v, note: `limits of pod container ${view.pod}` };
  };

  return async (entry) => {
    const node = nodeByName(entry.node);
    try {
      switch (entry.component) {
        case 'apiServer':
        case 'controllerManager':
        case 'scheduler':
        case 'etcd': {
          const flags = await flagsOf(processOf[entry.component]!);
          if (!flags) return { unreadable: `${processOf[entry.component]} is not running` };
          const v = flags.get(entry.key);
          return v === undefined
            ? {
                unreadable: `--${entry.key} is not on the ${processOf[entry.component]} command line`,
              }
            : { value: v };
        }
        case 'kubelet': {
          const config = await configz(node);
          return entry.key in config
            ? { value: config[entry.key] }
            : { unreadable: `kubelet /configz has no ${entry.key}` };
        }
        case 'containerd': {
          const cri = (await containerdConfig(node)).plugins?.['io.containerd.grpc.v1.cri'] as
            | Record<string, unknown>
            | undefined;
          return cri && entry.key in cri
            ? { value: cri[entry.key] }
            : { unreadable: `containerd config dump has no ${entry.key}` };
        }
        case 'kubeProxy': {
          const key = conntrackSysctl[entry.key];
          if (key) {
            const seconds = await sysctl(node, key);
            return seconds ? { value: `${seconds}s` } : { unreadable: `sysctl ${key} unreadable` };
          }
          const config = await kubeProxyConfigz(node);
          const v = entry.key.split('.').reduce<unknown>((o, k) => fieldOf(o, k), config);
          return v === undefined
            ? { unreadable: `kube-proxy /configz has no ${entry.key}` }
            : { value: v };
        }
        case 'sysctls': {
          const v = await sysctl(node, entry.key);
          const inPods = entry.key.startsWith('net.')
            ? await sysctlInPods(node, entry.key)
            : undefined;
          return v
            ? { value: v, inPods }
            : { unreadable: `sysctl ${entry.key} is not readable in the node`, inPods };
        }
        case 'ulimits': {
          const pid = await pidOf(node, 'kubelet');
          if (pid === undefined) return { unreadable: 'kubelet is not running' };
          const limits = parseLimits(await sh(node, `cat /proc/${pid}/limits`));
          const v = limits[entry.key];
          const inPods = await ulimitInPods(node, entry.key);
          return v === undefined
            ? { unreadable: `no ${entry.key} in /proc/<kubelet>/limits`, inPods }
            : { value: v, inPods };
        }
        default:
          return undefined;
      }
    } catch (e) {
      return { unreadable: e instanceof Error ? e.message.split('\n')[0]! : String(e) };
    }
  };
}
