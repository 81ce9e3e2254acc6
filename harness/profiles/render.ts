import { stringify as toToml } from 'smol-toml';
import { stringify as toYaml } from 'yaml';
import { knobsOf } from './catalogue.ts';
import type { Component } from './catalogue-types.ts';
import {
  type FlagComponent,
  flagComponents,
  type ProfileValue,
  type ResolvedProfile,
} from './profile-types.ts';
import { flagValue, normalise } from './values.ts';

export interface RenderNode {
  name: string;
  role: 'control-plane' | 'worker';
  ip: string;
}

/** What the cluster provider knows about the cluster it is about to bootstrap. */
export interface RenderContext {
  kubernetesVersion: string;
  clusterName: string;
  nodes: RenderNode[];
  podSubnet: string;
  serviceSubnet: string;
  apiServerPort: number;
  /** Extra names the apiserver certificate must cover (the address published on the host). */
  certSANs: string[];
  /** kubeadm bootstrap token. `profile render` shows a placeholder; providers pass a real one. */
  bootstrapToken: string;
  criSocket: string;
  /**
   * The nameserver pods with dnsPolicy Default (CoreDNS) use. Not the node's resolv.conf: that
   * names Docker's embedded DNS, 127.0.0.11, which inside a pod is the pod itself, and CoreDNS
   * stops on the loop. tuneproof clusters need cluster DNS only; the network gateway answers
   * quickly (with a refusal) for anything else.
   */
  dnsUpstream: string;
  /** What the provider's nodes need that no profile decides. */
  layout: NodeLayout;
}

/**
 * The provider's side of rendering: where node files go and the settings its nodes need
 * whatever the profile says (the kind provider's are in clusters/kind/node-layout.ts).
 */
export interface NodeLayout {
  /** Where the provider writes each rendered file into a node. */
  paths: { kubeadmConfig: string; patchesDir: string; kubeletPatch: string; resolvConf: string };
  /** Kubelet settings the node's environment needs (cgroup driver and root, swap...). */
  kubelet: Record<string, unknown>;
  /** kube-proxy settings the node's environment needs; profile values are merged over them. */
  kubeProxy: Record<string, unknown>;
  /** Why a host-global knob cannot be applied per node on these nodes. */
  hostGlobalReason: string;
}

export const kubeadmApiVersion = 'kubeadm.k8s.io/v1beta4';
export interface RenderedNode {
  name: string;
  role: RenderNode['role'];
  /** Files to write into the node before kubeadm runs, path -> content. */
  files: Record<string, string>;
  /** Namespaced sysctls for the node container (HostConfig.Sysctls). */
  sysctls: Record<string, string>;
  ulimits: { name: string; soft: number; hard: number }[];
}

export interface NotApplied {
  id: string;
  value: unknown;
  reason: string;
}

export interface RenderedCluster {
  clusterConfiguration: Record<string, unknown>;
  kubeletConfiguration: Record<string, unknown>;
  kubeProxyConfiguration: Record<string, unknown>;
  containerdFragment: string;
  nodes: RenderedNode[];
  /** Knobs the profile sets that these nodes cannot apply per node: reported, never dropped. */
  notApplied: NotApplied[];
}

function valuesOf(profile: ResolvedProfile, component: Component): ProfileValue[] {
  return knobsOf(component)
    .map((k) => profile.values.get(`${component}.${k.key}`))
    .filter((v): v is ProfileValue => v !== undefined);
}

function extraArgs(
  profile: ResolvedProfile,
  component: FlagComponent,
): { name: string; value: string }[] {
  const args = valuesOf(profile, component).map((v) => ({
    name: v.knob.key,
    value: flagValue(v.value),
  }));
  for (const [name, value] of Object.entries(profile.extraArgs[component]))
    args.push({ name, value });
  return args.sort((a, b) => a.name.localeCompare(b.name));
}

/** Sets a dotted path ("conntrack.tcpEstablishedTimeout") in a nested object. */
function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    cur[part] ??= {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts.at(-1)!] = value;
}

export function renderProfile(profile: ResolvedProfile, ctx: RenderContext): RenderedCluster {
  const notApplied: NotApplied[] = [];
  const controlPlane = ctx.nodes.find((n) => n.role === 'control-plane');
  if (!controlPlane) throw new Error('a cluster needs a control-plane node');
  const endpoint = `${controlPlane.ip}:${ctx.apiServerPort}`;

  const [apiServer, controllerManager, scheduler, etcd] = flagComponents.map((c) =>
    extraArgs(profile, c),
  );
  const clusterConfiguration = {
    apiVersion: kubeadmApiVersion,
    kind: 'ClusterConfiguration',
    clusterName: ctx.clusterName,
    kubernetesVersion: ctx.kubernetesVersion,
    controlPlaneEndpoint: endpoint,
    networking: {
      podSubnet: ctx.podSubnet,
      serviceSubnet: ctx.serviceSubnet,
      dnsDomain: 'cluster.local',
    },
    apiServer: { certSANs: [...new Set([...ctx.certSANs, controlPlane.ip])], extraArgs: apiServer },
    controllerManager: { extraArgs: controllerManager },
    scheduler: { extraArgs: scheduler },
    etcd: { local: { dataDir: '/var/lib/etcd', extraArgs: etcd } },
  };

  const kubeletConfiguration: Record<string, unknown> = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    ...structuredClone(ctx.layout.kubelet),
  };
  for (const v of valuesOf(profile, 'kubelet')) kubeletConfiguration[v.knob.key] = v.value;

  const kubeProxyConfiguration: Record<string, unknown> = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    ...structuredClone(ctx.layout.kubeProxy),
  };
  for (const v of valuesOf(profile, 'kubeProxy')) {
    if (v.knob.scope === 'host-global') {
      notApplied.push({
        id: `kubeProxy.${v.knob.key}`,
        value: v.value,
        reason: `sets a host-global kernel limit; ${ctx.layout.hostGlobalReason}`,
      });
      continue;
    }
    setPath(kubeProxyConfiguration, v.knob.key, v.value);
  }

  const cri: Record<string, unknown> = {};
  for (const v of valuesOf(profile, 'containerd')) cri[v.knob.key] = v.value;
  const containerdFragment = toToml({ version: 2, plugins: { 'io.containerd.grpc.v1.cri': cri } });

  const sysctls: Record<string, string> = {};
  for (const v of valuesOf(profile, 'sysctls')) {
    if (v.knob.scope === 'host-global') {
      notApplied.push({
        id: `sysctls.${v.knob.key}`,
        value: v.value,
        reason: `host-global sysctl: ${ctx.layout.hostGlobalReason}`,
      });
      continue;
    }
    // one canonical spelling (single spaces) of what the loader checked: integers, no exponent
    sysctls[v.knob.key] = String(normalise(v.knob.type, v.value));
  }
  const ulimits = valuesOf(profile, 'ulimits').map((v) => ({
    name: v.knob.key,
    soft: Number(v.value),
    hard: Number(v.value),
  }));

  const kubeletPatch = Object.fromEntries(
    Object.entries(kubeletConfiguration).filter(([k]) => k !== 'apiVersion' && k !== 'kind'),
  );
  const nodes = ctx.nodes.map((node): RenderedNode => {
    const registration = {
      name: node.name,
      criSocket: ctx.criSocket,
      kubeletExtraArgs: [
        { name: 'node-ip', value: node.ip },
        { name: 'provider-id', value: `tuneproof://${ctx.clusterName}/${node.name}` },
      ],
      // workers carry no taint; the control plane keeps kubeadm's NoSchedule taint
      ...(node.role === 'worker' ? { taints: [] } : {}),
    };
    const nodeDoc =
      node.role === 'control-plane'
        ? {
            apiVersion: kubeadmApiVersion,
            kind: 'InitConfiguration',
            bootstrapTokens: [
              {
                token: ctx.bootstrapToken,
                ttl: '2h0m0s',
                usages: ['signing', 'authentication'],
                groups: ['system:bootstrappers:kubeadm:default-node-token'],
              },
            ],
            localAPIEndpoint: { advertiseAddress: node.ip, bindPort: ctx.apiServerPort },
            nodeRegistration: registration,
            patches: { directory: ctx.layout.paths.patchesDir },
          }
        : {
            apiVersion: kubeadmApiVersion,
            kind: 'JoinConfiguration',
            discovery: {
              bootstrapToken: {
                apiServerEndpoint: endpoint,
                token: ctx.bootstrapToken,
                unsafeSkipCAVerification: true,
              },
            },
            nodeRegistration: registration,
            patches: { directory: ctx.layout.paths.patchesDir },
          };
    // kubeadm reads ClusterConfiguration, KubeletConfiguration and KubeProxyConfiguration on init
    // only; joined nodes get the kubelet settings from the patch (kind's trap: kind#3849).
    const docs =
      node.role === 'control-plane'
        ? [clusterConfiguration, nodeDoc, kubeletConfiguration, kubeProxyConfiguration]
        : [nodeDoc];
    return {
      name: node.name,
      role: node.role,
      files: {
        [ctx.layout.paths.kubeadmConfig]: docs.map((d) => toYaml(d)).join('---\n'),
        [ctx.layout.paths.kubeletPatch]: toYaml(kubeletPatch),
        [ctx.layout.paths.resolvConf]: `nameserver ${ctx.dnsUpstream}\n`,
      },
      sysctls,
      ulimits,
    };
  });

  return {
    clusterConfiguration,
    kubeletConfiguration,
    kubeProxyConfiguration,
    containerdFragment,
    nodes,
    notApplied,
  };
}
