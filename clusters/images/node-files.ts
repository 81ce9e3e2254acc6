/**
 * What tuneproof adds to the Debian rootfs to make a kind-compatible node: the entrypoint, the
 * systemd units, containerd's configuration, the Kubernetes node binaries and kind's marker
 * files. The shell and unit files live in node-files/ as real files (readable, shellcheck-able);
 * this module says where each goes.
 */
import { join } from 'node:path';
import { containerdConfig } from './containerd-config.ts';
import type { ContextFile } from './docker-image.ts';
import { KUBERNETES_VERSION } from './versions.ts';

const assets = join(import.meta.dirname, 'node-files');

/** The host binaries the node image itself carries (crictl only when it could be built). */
export interface NodeBinaries {
  kubeadm: string;
  kubelet: string;
  kubectl: string;
  crictl?: string;
}

/**
 * Units that fail or make no sense in a container (no udev, no TTYs, no kernel module loading,
 * no hardware): masked so `systemctl is-system-running` says `running`, and boot is quicker.
 */
export const MASKED_UNITS = [
  'systemd-modules-load.service',
  'systemd-udevd.service',
  'systemd-udevd-control.socket',
  'systemd-udevd-kernel.socket',
  'systemd-udev-trigger.service',
  'systemd-firstboot.service',
  'systemd-networkd-wait-online.service',
  'getty.target',
  'console-getty.service',
  'sys-kernel-debug.mount',
  'sys-kernel-tracing.mount',
  'sys-kernel-config.mount',
  'dev-hugepages.mount',
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'dpkg-db-backup.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
] as const;

/**
 * Run once at image build: links and unit state that are easier to make with the tools than to
 * ship as files. Needs nothing from the network.
 */
export const NODE_SETUP_SCRIPT = [
  'set -eux',
  // Debian installs the CNI plugins in /usr/lib/cni; kubelet/containerd look in /opt/cni/bin.
  'mkdir -p /opt/cni /etc/cni/net.d /etc/containerd/conf.d /etc/containerd/certs.d /var/lib/kubelet',
  'ln -sfn /usr/lib/cni /opt/cni/bin',
  `systemctl mask ${MASKED_UNITS.join(' ')}`,
  'systemctl enable containerd.service kubelet.service',
  'systemctl set-default multi-user.target',
  // Empty: the entrypoint gives each node its own id at first boot.
  ': > /etc/machine-id',
].join(' && \\\n  ');

export function nodeFiles(bin: NodeBinaries): ContextFile[] {
  const exe = 0o755;
  const files: ContextFile[] = [
    { path: 'usr/local/bin/entrypoint', source: join(assets, 'entrypoint'), mode: exe },
    {
      path: 'usr/local/bin/tuneproof-containerd-prestart',
      source: join(assets, 'containerd-prestart'),
      mode: exe,
    },
    { path: 'etc/systemd/system/containerd.service', source: join(assets, 'containerd.service') },
    { path: 'etc/systemd/system/kubelet.service', source: join(assets, 'kubelet.service') },
    {
      path: 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
      source: join(assets, '10-kubeadm.conf'),
    },
    { path: 'etc/containerd/config.toml', content: containerdConfig() },
    // kind's marker: tools (and kind itself) read the node's Kubernetes version here.
    { path: 'kind/version', content: `${KUBERNETES_VERSION}\n` },
    { path: 'usr/bin/kubeadm', source: bin.kubeadm, mode: exe },
    { path: 'usr/bin/kubelet', source: bin.kubelet, mode: exe },
    { path: 'usr/bin/kubectl', source: bin.kubectl, mode: exe },
  ];
  if (bin.crictl) {
    files.push(
      { path: 'usr/bin/crictl', source: bin.crictl, mode: exe },
      { path: 'etc/crictl.yaml', source: join(assets, 'crictl.yaml') },
    );
  }
  return files;
}
