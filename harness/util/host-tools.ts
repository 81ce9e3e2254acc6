/**
 * Every program tuneproof or its tests spawn on the host, with the Debian package that has it
 * and the setup script that installs it. The setup scripts (scripts/setup-*.sh) install exactly
 * these, a unit test checks that the two agree, and `exec()` names the package when one is
 * missing: a fresh machine once failed with "spawn debootstrap ENOENT" because nothing
 * installed it.
 */
export interface HostTool {
  program: string;
  debianPackage: string;
  /** What tuneproof needs it for, for the "not installed" message. */
  usedFor: string;
  /** The script under scripts/ that installs it. */
  installedBy: 'setup-host-tools.sh' | 'setup-docker.sh' | 'setup-test-tools.sh' | 'setup-node.sh';
}

export const HOST_TOOLS: readonly HostTool[] = [
  {
    program: 'debootstrap',
    debianPackage: 'debootstrap',
    usedFor: 'building the Debian rootfs of the node and workload images',
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'gpgv',
    debianPackage: 'gpgv',
    usedFor: "debootstrap's check of Debian's signatures",
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'chroot',
    debianPackage: 'coreutils',
    usedFor: 'listing the packages of a built rootfs',
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'tar',
    debianPackage: 'tar',
    usedFor: 'packing rootfs tarballs and image layers',
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'dpkg',
    debianPackage: 'dpkg',
    usedFor: "naming the host's architecture for the Go toolchain",
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'sysctl',
    debianPackage: 'procps',
    usedFor: "raising the host's inotify limits for node containers",
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'pgrep',
    debianPackage: 'procps',
    usedFor: 'finding a running dockerd',
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'go',
    debianPackage: 'golang-go',
    usedFor:
      'building Kubernetes, etcd, CoreDNS, crictl, k6 and actionlint from the Go module proxy',
    installedBy: 'setup-host-tools.sh',
  },
  {
    program: 'docker',
    debianPackage: 'docker.io',
    usedFor: 'building images and running node containers',
    installedBy: 'setup-docker.sh',
  },
  {
    program: 'dockerd',
    debianPackage: 'docker.io',
    usedFor: 'the Docker engine, when none runs',
    installedBy: 'setup-docker.sh',
  },
  {
    program: 'npm',
    debianPackage: 'npm',
    usedFor: 'installing Node 24 and the npm dependencies',
    installedBy: 'setup-node.sh',
  },
  {
    program: 'chromium',
    debianPackage: 'chromium',
    usedFor: 'the test that opens report.html in a real browser',
    installedBy: 'setup-test-tools.sh',
  },
  {
    program: 'openssl',
    debianPackage: 'openssl',
    usedFor: 'the certificate of the scripted API server in the watch tests',
    installedBy: 'setup-test-tools.sh',
  },
  {
    program: 'shellcheck',
    debianPackage: 'shellcheck',
    usedFor: 'linting the setup scripts and, through actionlint, the workflow',
    installedBy: 'setup-test-tools.sh',
  },
];

/** What to tell a user whose `program` is missing. */
export function missingProgramMessage(program: string): string {
  const base = program.split('/').pop() ?? program;
  const tool = HOST_TOOLS.find((t) => t.program === base);
  if (program.includes('/')) {
    return `${program} does not exist${tool ? ` (needed for ${tool.usedFor})` : ''}`;
  }
  if (!tool) return `${program} is not installed (not found on PATH)`;
  // The test tools come with `make test` only; everything else with `make setup`.
  const target = tool.installedBy === 'setup-test-tools.sh' ? 'make test' : 'make setup';
  return (
    `${program} is not installed (needed for ${tool.usedFor}): run \`${target}\`, ` +
    `whose scripts/${tool.installedBy} installs it, or \`apt-get install ${tool.debianPackage}\``
  );
}
