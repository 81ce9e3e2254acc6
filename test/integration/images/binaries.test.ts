/**
 * The binary cache end to end: ensureBinaries builds what is missing (about 20 minutes on a cold
 * machine; `make images` normally did it already), a second call is a no-op, and every binary
 * runs and reports the pinned version.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { promisify } from 'node:util';
import test from 'ava';
import {
  ALL_GROUPS,
  BINARY_GROUPS,
  type BinaryName,
  type BinarySet,
  elfInterpreterOf,
  ensureBinaries,
  sha256File,
} from '../../../clusters/images/binaries.ts';
import {
  ACTIONLINT_VERSION,
  AGNHOST_VERSION,
  bare,
  COREDNS_VERSION,
  CRICTL_VERSION,
  ETCD_VERSION,
  K6_VERSION,
  KUBERNETES_VERSION,
  KWOK_VERSION,
} from '../../../clusters/images/versions.ts';

const run = promisify(execFile);

// Written out here rather than taken from the recipes, so a wrong recipe check cannot pass.
const expected: Record<BinaryName, { args: string[]; expect: RegExp }> = {
  kubeadm: { args: ['version', '-o', 'short'], expect: new RegExp(`^${KUBERNETES_VERSION}$`) },
  kubelet: { args: ['--version'], expect: new RegExp(`^Kubernetes ${KUBERNETES_VERSION}$`) },
  kubectl: {
    args: ['version', '--client', '-o', 'json'],
    expect: new RegExp(`"gitVersion": "${KUBERNETES_VERSION}"`),
  },
  'kube-apiserver': {
    args: ['--version'],
    expect: new RegExp(`^Kubernetes ${KUBERNETES_VERSION}$`),
  },
  'kube-controller-manager': {
    args: ['--version'],
    expect: new RegExp(`^Kubernetes ${KUBERNETES_VERSION}$`),
  },
  'kube-scheduler': {
    args: ['--version'],
    expect: new RegExp(`^Kubernetes ${KUBERNETES_VERSION}$`),
  },
  'kube-proxy': { args: ['--version'], expect: new RegExp(`^Kubernetes ${KUBERNETES_VERSION}$`) },
  agnhost: { args: ['--version'], expect: new RegExp(`version ${AGNHOST_VERSION}$`) },
  etcd: { args: ['--version'], expect: new RegExp(`^etcd Version: ${bare(ETCD_VERSION)}$`, 'm') },
  etcdctl: {
    args: ['version'],
    expect: new RegExp(`^etcdctl version: ${bare(ETCD_VERSION)}$`, 'm'),
  },
  coredns: { args: ['-version'], expect: new RegExp(`^CoreDNS-${bare(COREDNS_VERSION)}$`, 'm') },
  kwok: { args: ['--version'], expect: new RegExp(`^kwok version ${KWOK_VERSION} go`) },
  crictl: { args: ['--version'], expect: new RegExp(`^crictl version v?${bare(CRICTL_VERSION)}$`) },
  k6: { args: ['version'], expect: new RegExp(`^k6 ${K6_VERSION} `) },
  actionlint: { args: ['-version'], expect: new RegExp(`^${ACTIONLINT_VERSION}\n`) },
};

let binaries: BinarySet;

test.before(async (t) => {
  // A cold build of everything took about 20 minutes on 2 cores; leave room.
  t.timeout(90 * 60_000);
  binaries = await ensureBinaries();
});

test.serial('a warm call is a no-op that returns the same binaries within seconds', async (t) => {
  const t0 = performance.now();
  const again = await ensureBinaries();
  const seconds = (performance.now() - t0) / 1000;
  t.true(seconds < 5, `warm ensureBinaries took ${seconds.toFixed(1)}s`);
  t.deepEqual(again.paths, binaries.paths);
  t.deepEqual(again.manifests, binaries.manifests);
});

for (const name of Object.values(BINARY_GROUPS).flat() as BinaryName[]) {
  test(`${name} is static and reports the pinned version`, async (t) => {
    const file = binaries.paths[name];
    t.true(isAbsolute(file), file);
    const head = await readFile(file).then((b) => b.subarray(0, 64 * 1024));
    t.is(elfInterpreterOf(head), undefined, `${name} must not need a dynamic loader`);
    const { stdout, stderr } = await run(file, expected[name].args, { timeout: 60_000 });
    t.regex(`${stdout}${stderr}`.trim(), expected[name].expect);
  });
}

test('the manifests record versions, hashes and build times', async (t) => {
  for (const group of ALL_GROUPS) {
    const manifest = binaries.manifests[group];
    t.is(manifest.group, group);
    t.true(manifest.buildSeconds > 0);
    for (const name of BINARY_GROUPS[group] as readonly BinaryName[]) {
      const b = manifest.binaries[name];
      t.truthy(b, `${group} manifest lists ${name}`);
      t.is(b?.version, binaries.versions[name]);
    }
  }
  // Hashing all of them takes a few seconds; one proves the manifest describes the file.
  const kubeadm = binaries.manifests.kubernetes.binaries.kubeadm;
  t.is(await sha256File(binaries.paths.kubeadm), kubeadm!.sha256);
});
