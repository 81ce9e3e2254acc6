/**
 * The node image boots as a node container on this host (non-privileged where --privileged is
 * refused), with systemd up, containerd active, kubeadm's images preloaded and pinned, and
 * every binary at its pinned version. Needs Docker; builds the images if they are missing
 * (a warm build is a no-op).
 */
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { inspectImage } from '../../../clusters/images/docker-image.ts';
import { buildImages } from '../../../clusters/images/index.ts';
import { NODE_IMAGE, PRELOADED_LABEL } from '../../../clusters/images/node-image.ts';
import {
  bare,
  COREDNS_VERSION,
  CRICTL_VERSION,
  ETCD_VERSION,
  KUBEADM_IMAGES,
  KUBERNETES_VERSION,
} from '../../../clusters/images/versions.ts';
import {
  type StartedNodeContainer,
  startNodeContainer,
} from '../../../clusters/kind/node-container.ts';
import { exec } from '../../../harness/util/exec.ts';

/** Units allowed to fail without failing the test: none are known on this image today. */
const KNOWN_FAILING_UNITS: readonly string[] = [];

const run = `test-${randomBytes(3).toString('hex')}`;

async function ensureNodeImage(): Promise<void> {
  if (!(await inspectImage(NODE_IMAGE))) await buildImages();
}

async function start(
  t: { teardown(fn: () => Promise<void>): void },
  name: string,
): Promise<StartedNodeContainer> {
  await ensureNodeImage();
  const node = await startNodeContainer({
    image: NODE_IMAGE,
    name: `tuneproof-${run}-${name}`,
    hostname: name,
    labels: { 'dev.tuneproof.run': run, 'dev.tuneproof.cluster': 'images-test' },
  });
  t.teardown(async () => {
    await node.container.stop({ timeout: 0, remove: true, removeVolumes: true });
  });
  return node;
}

async function sh(
  node: StartedNodeContainer,
  script: string,
): Promise<{ exitCode: number; output: string }> {
  const r = await node.container.exec(['sh', '-c', script]);
  return { exitCode: r.exitCode, output: r.output.trim() };
}

test.serial(
  'node image boots: systemd running, containerd active, images preloaded and pinned',
  async (t) => {
    const node = await start(t, 'boot');

    const state = await sh(node, 'systemctl is-system-running');
    if (state.output !== 'running') {
      t.is(state.output, 'degraded');
      const failed = (
        await sh(node, "systemctl --failed --no-legend --plain | awk '{print $1}'")
      ).output
        .split('\n')
        .filter(Boolean);
      t.deepEqual(
        failed.filter((u) => !KNOWN_FAILING_UNITS.includes(u)),
        [],
        'unexpected failed units',
      );
    }
    t.is((await sh(node, 'systemctl is-active containerd')).output, 'active');
    // Not started before kubeadm writes its configuration, by design.
    t.is((await sh(node, 'systemctl is-enabled kubelet')).output, 'enabled');

    const listed = (await sh(node, 'ctr -n k8s.io images ls')).output.split('\n');
    for (const ref of Object.values(KUBEADM_IMAGES)) {
      const line = listed.find((l) => l.startsWith(`${ref} `));
      t.truthy(line, `${ref} preloaded`);
      t.regex(line ?? '', /io\.cri-containerd\.pinned=pinned/, `${ref} pinned`);
    }

    // The node image records what it preloaded; each image in the node is that Docker image.
    const info = await inspectImage(NODE_IMAGE);
    const preloaded = JSON.parse(info?.labels[PRELOADED_LABEL] ?? '{}') as Record<string, string>;
    t.deepEqual(Object.keys(preloaded).sort(), Object.values(KUBEADM_IMAGES).sort());

    t.is((await sh(node, 'kubelet --version')).output, `Kubernetes ${KUBERNETES_VERSION}`);
    t.is((await sh(node, 'kubeadm version -o short')).output, KUBERNETES_VERSION);
    t.regex(
      (await sh(node, 'kubectl version --client')).output,
      new RegExp(`Client Version: ${KUBERNETES_VERSION}`),
    );
    t.is((await sh(node, 'cat /kind/version')).output, KUBERNETES_VERSION);
    if ((await sh(node, 'command -v crictl')).exitCode === 0) {
      t.regex((await sh(node, 'crictl --version')).output, new RegExp(bare(CRICTL_VERSION)));
    }
    for (const plugin of ['bridge', 'ptp', 'host-local', 'loopback', 'portmap']) {
      t.is((await sh(node, `test -x /opt/cni/bin/${plugin}`)).exitCode, 0, `CNI plugin ${plugin}`);
    }

    // containerd runs with the node's configuration (not Debian's defaults).
    const dump = (await sh(node, 'containerd config dump')).output;
    t.regex(dump, /SystemdCgroup = true/);
    t.regex(dump, new RegExp(`sandbox_image = "${KUBEADM_IMAGES.pause.replaceAll('.', '\\.')}"`));
    t.regex(dump, /config_path = "\/etc\/containerd\/certs\.d"/);

    // Identity is per node, and the container carries the ownership labels cleanup relies on.
    t.regex((await sh(node, 'cat /etc/machine-id')).output, /^[0-9a-f]{32}$/);
    const labels = (
      await exec('docker', ['inspect', '--format', '{{json .Config.Labels}}', node.id])
    ).stdout;
    t.like(JSON.parse(labels), { 'dev.tuneproof.tool': 'tuneproof', 'dev.tuneproof.run': run });
  },
);

test.serial('the preloaded images run their pinned versions', async (t) => {
  await ensureNodeImage();
  const version = async (image: string, args: string[]) =>
    (
      await exec('docker', [
        'run',
        '--rm',
        '--label',
        'dev.tuneproof.tool=tuneproof',
        image,
        ...args,
      ])
    ).stdout.trim();
  const local = (ref: string) => `tuneproof/${ref.slice(ref.lastIndexOf('/') + 1)}`;
  for (const key of [
    'kubeApiserver',
    'kubeControllerManager',
    'kubeScheduler',
    'kubeProxy',
  ] as const) {
    t.is(
      await version(local(KUBEADM_IMAGES[key]), ['--version']),
      `Kubernetes ${KUBERNETES_VERSION}`,
      key,
    );
  }
  t.regex(
    await version(local(KUBEADM_IMAGES.etcd), ['--version']),
    new RegExp(`etcd Version: ${bare(ETCD_VERSION)}`),
  );
  t.regex(
    await version(local(KUBEADM_IMAGES.coredns), ['-version']),
    new RegExp(`CoreDNS-${bare(COREDNS_VERSION)}`),
  );
});

test.serial('CRI runs a pod sandbox from the preloaded pause image without pulling', async (t) => {
  const node = await start(t, 'cri');
  if ((await sh(node, 'command -v crictl')).exitCode !== 0) {
    t.log('crictl is not in this node image: CRI check skipped');
    t.pass();
    return;
  }
  t.regex((await sh(node, `crictl inspecti ${KUBEADM_IMAGES.pause}`)).output, /"pinned": true/);
  // A host-network sandbox needs no CNI config; containerd must unpack the (preloaded,
  // not unpacked) pause image and run it in the non-privileged node.
  const sandbox = JSON.stringify({
    metadata: { name: 'probe', namespace: 'default', uid: 'probe-uid', attempt: 0 },
    // runc with the systemd cgroup driver wants a slice as cgroup parent, as kubelet gives it.
    linux: {
      cgroup_parent: 'tuneproof-probe.slice',
      security_context: { namespace_options: { network: 2 } },
    },
    log_directory: '/tmp',
  });
  const runp = await sh(node, `echo '${sandbox}' > /tmp/pod.json && crictl runp /tmp/pod.json`);
  t.is(runp.exitCode, 0, runp.output);
  const pods = await sh(node, 'crictl pods --name probe -q');
  t.truthy(pods.output, 'sandbox listed');
  t.is((await sh(node, `crictl stopp ${pods.output} && crictl rmp ${pods.output}`)).exitCode, 0);
});
