import type { NodeLayout } from '../../harness/profiles/index.ts';

const resolvConf = '/kind/resolv.conf';

/**
 * What a kind node container needs whatever the profile says (as kind sets it up): files under
 * /kind, the kubelet in the node's own cgroup tree, and no host-global kernel writes.
 */
export const kindNodeLayout: NodeLayout = {
  paths: {
    kubeadmConfig: '/kind/kubeadm.conf',
    patchesDir: '/kind/patches',
    kubeletPatch: '/kind/patches/kubeletconfiguration+merge.yaml',
    resolvConf,
  },
  kubelet: {
    cgroupDriver: 'systemd',
    // kind's entrypoint makes /kubelet the kubelet's cgroup root inside the node's cgroup namespace
    cgroupRoot: '/kubelet',
    failSwapOn: false,
    // 1.34 runs on cgroup v1 by default; stated so a newer kubelet does not refuse this host
    failCgroupV1: false,
    // names the network gateway, not Docker's embedded DNS (RenderContext.dnsUpstream says why)
    resolvConf,
  },
  // 0 keeps kube-proxy from writing nf_conntrack_max, a host-global limit it cannot set in a
  // node container (as kind does); the profile's value is reported as not applied.
  kubeProxy: { conntrack: { maxPerCore: 0 } },
  hostGlobalReason:
    'kind nodes share the host kernel: one value for every node container, it cannot differ per node',
};
