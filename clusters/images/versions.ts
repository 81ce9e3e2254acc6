/**
 * Pinned versions of everything tuneproof builds for hermetic (registry-less) clusters, and the
 * image references kubeadm expects to find preloaded in the node image. One place to bump.
 *
 * Kubernetes is pinned to 1.34 on purpose: 1.34 is the newest kubelet that still runs on a
 * cgroup v1 host without `failCgroupV1: false` (kubelet >= 1.35 refuses v1 by default), and the
 * machines tuneproof is built and tested on are cgroup v1 (hybrid). Moving to 1.35+ means
 * setting failCgroupV1: false in every KubeletConfiguration or moving CI to cgroup v2 hosts.
 *
 * The etcd, CoreDNS and pause versions are the ones kubeadm v1.34.4 asks for
 * (cmd/kubeadm/app/constants: DefaultEtcdVersion "3.6.5-0", CoreDNSVersion "v1.12.1",
 * PauseVersion "3.10.1"). If they drift, kubeadm's preflight tries to pull other tags, which
 * fails without a registry, so bump them together with KUBERNETES_VERSION.
 */

/** Kubernetes release (git tag form). */
export const KUBERNETES_VERSION = 'v1.34.4';
/** The staging modules (k8s.io/api, k8s.io/client-go, ...) are published as v0.<minor>.<patch>. */
export const KUBERNETES_STAGING_VERSION = 'v0.34.4';
/** etcd release; kubeadm tags its image `<version>-0`. */
export const ETCD_VERSION = 'v3.6.5';
export const COREDNS_VERSION = 'v1.12.1';
/** The pause image tag kubeadm configures; our pause is `agnhost pause` re-tagged. */
export const PAUSE_VERSION = '3.10.1';
/**
 * crictl follows the Kubernetes minor. The proxy serves sigs.k8s.io/cri-tools v1.34.0 but the
 * checksum database does not know it, so its go.sum hash is pinned in binaries.ts instead.
 */
export const CRICTL_VERSION = 'v1.34.0';
/**
 * agnhost's own version in the kubernetes v1.34.4 tree (test/images/agnhost/VERSION); the build
 * checks it, so a Kubernetes bump that changes it fails loudly until this is updated. Workload
 * images are tagged with it.
 */
export const AGNHOST_VERSION = '2.56';
/** The GitHub Actions workflow linter, for the nightly workflow's lint (tests only). */
export const ACTIONLINT_VERSION = 'v1.7.12';
/**
 * kwok, the node simulator (newest release the Go module proxy serves: `go list -m -versions
 * sigs.k8s.io/kwok`). It needs go >= 1.26.0 and brings client-go v0.36, which talks to a 1.34
 * apiserver within the supported skew.
 */
export const KWOK_VERSION = 'v0.8.0';
/** Newest k6 v1 the Go module proxy serves. */
export const K6_VERSION = 'v1.8.1';

/** Without the leading `v`, as `--version` outputs and image tags sometimes want it. */
export function bare(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

export const REGISTRY = 'registry.k8s.io';

/**
 * Image references kubeadm v1.34.4 uses by default (`kubeadm config images list`). The node
 * image preloads images under exactly these names so kubeadm never tries to pull.
 */
export const KUBEADM_IMAGES = {
  kubeApiserver: `${REGISTRY}/kube-apiserver:${KUBERNETES_VERSION}`,
  kubeControllerManager: `${REGISTRY}/kube-controller-manager:${KUBERNETES_VERSION}`,
  kubeScheduler: `${REGISTRY}/kube-scheduler:${KUBERNETES_VERSION}`,
  kubeProxy: `${REGISTRY}/kube-proxy:${KUBERNETES_VERSION}`,
  etcd: `${REGISTRY}/etcd:${bare(ETCD_VERSION)}-0`,
  coredns: `${REGISTRY}/coredns/coredns:${COREDNS_VERSION}`,
  pause: `${REGISTRY}/pause:${PAUSE_VERSION}`,
} as const;
export type KubeadmImage = keyof typeof KUBEADM_IMAGES;
