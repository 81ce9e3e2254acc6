import test from 'ava';
import { parseAllDocuments } from 'yaml';
import { kindRenderContext } from '../../../clusters/kind/kind-render-context.ts';
import { kindNodeLayout } from '../../../clusters/kind/node-layout.ts';
import {
  desiredConfig,
  diffProfiles,
  explainProfile,
  loadProfile,
  observeConfig,
  renderProfile,
} from '../../../harness/profiles/index.ts';

const tuned = loadProfile('tuned').profile;
const ctx = kindRenderContext();
const nodePaths = kindNodeLayout.paths;
const rendered = renderProfile(tuned, ctx);

function docsOf(nodeName: string) {
  const node = rendered.nodes.find((n) => n.name === nodeName)!;
  return parseAllDocuments(node.files[nodePaths.kubeadmConfig]!).map(
    (d) => d.toJS() as Record<string, unknown>,
  );
}

test('the control plane gets ClusterConfiguration, InitConfiguration, KubeletConfiguration and KubeProxyConfiguration', (t) => {
  const kinds = docsOf('control-plane').map((d) => d.kind);
  t.deepEqual(kinds, [
    'ClusterConfiguration',
    'InitConfiguration',
    'KubeletConfiguration',
    'KubeProxyConfiguration',
  ]);
  const cluster = docsOf('control-plane')[0] as {
    apiServer: { extraArgs: { name: string; value: string }[] };
  };
  t.deepEqual(
    cluster.apiServer.extraArgs.find((a) => a.name === 'max-requests-inflight'),
    { name: 'max-requests-inflight', value: '1500' },
  );
});

test('kubelet settings reach every node, not only the first (kind#3849)', (t) => {
  for (const node of rendered.nodes) {
    const patch = node.files[nodePaths.kubeletPatch]!;
    t.regex(patch, /serializeImagePulls: false/, node.name);
    t.regex(patch, /maxParallelImagePulls: 10/, node.name);
    t.regex(patch, /cgroupRoot: \/kubelet/, node.name);
  }
  const join = docsOf('worker')[0] as { kind: string; patches: { directory: string } };
  t.is(join.kind, 'JoinConfiguration');
  t.is(join.patches.directory, nodePaths.patchesDir);
});

test('containerd, sysctls and kube-proxy settings are rendered', (t) => {
  t.regex(rendered.containerdFragment, /max_concurrent_downloads = 10/);
  t.regex(rendered.containerdFragment, /version = 2/);
  t.is(rendered.nodes[1]!.sysctls['net.core.somaxconn'], '32768');
  t.deepEqual(rendered.kubeProxyConfiguration.conntrack, {
    maxPerCore: 0,
    tcpEstablishedTimeout: '300s',
    tcpCloseWaitTimeout: '1h0m0s',
  });
});

test('host-global knobs are reported as not applied, never silently dropped', (t) => {
  const p = loadProfile('default').profile;
  p.values.set('sysctls.fs.file-max', {
    knob: {
      component: 'sysctls',
      key: 'fs.file-max',
      type: { kind: 'sysctl' },
      scope: 'host-global',
      description: '',
      scenarios: [],
    },
    value: 1000000,
    origin: { path: 'spec.sysctls.fs.file-max', profile: 'x' },
  });
  const r = renderProfile(p, ctx);
  t.true(r.notApplied.some((n) => n.id === 'sysctls.fs.file-max'));
  t.false('fs.file-max' in r.nodes[0]!.sysctls);
  const entries = desiredConfig(p, r, ['control-plane']);
  t.is(entries.find((e) => e.key === 'fs.file-max')?.status, 'not-applicable');
});

test('effective config: per-node knobs get an entry per node and compare in canonical form', async (t) => {
  const entries = desiredConfig(tuned, rendered, ['control-plane', 'worker', 'worker2']);
  t.is(entries.filter((e) => e.key === 'serializeImagePulls').length, 3);
  t.is(entries.filter((e) => e.key === 'max-requests-inflight').length, 1);
  const observed = await observeConfig(entries, tuned, async (e) => {
    if (e.key === 'max-requests-inflight') return { value: '1500' };
    if (e.key === 'node-monitor-grace-period') return { value: '20s' };
    if (e.key === 'serializeImagePulls')
      return e.node === 'worker2' ? { value: true } : { value: false };
    if (e.key === 'request-timeout') return { value: '1m' };
    return undefined;
  });
  const status = (key: string, node?: string) =>
    observed.find((e) => e.key === key && e.node === node)?.status;
  t.is(status('max-requests-inflight'), 'applied');
  t.is(status('request-timeout'), 'applied');
  t.is(status('serializeImagePulls', 'worker'), 'applied');
  t.is(status('serializeImagePulls', 'worker2'), 'differs');
  t.is(status('watch-cache'), 'unverified');
});

test('a per-node knob read in pods is compared with the desired value on its own', async (t) => {
  const entries = desiredConfig(tuned, rendered, ['control-plane', 'worker']).filter(
    (e) => e.key === 'net.core.somaxconn',
  );
  t.is(entries.length, 2);
  const observed = await observeConfig(entries, tuned, async (e) =>
    e.node === 'worker'
      ? { value: '32768', inPods: { value: '4096', note: 'new netns' } }
      : { value: '32768', inPods: { unreadable: 'no pod' } },
  );
  const worker = observed.find((e) => e.node === 'worker')!;
  t.is(worker.status, 'applied', 'the node has the value');
  t.deepEqual(worker.inPods, { observed: '4096', status: 'differs', note: 'new netns' });
  t.deepEqual(observed.find((e) => e.node === 'control-plane')!.inPods, {
    status: 'unverified',
    note: 'no pod',
  });
});

test('explain and diff name what changed and why', (t) => {
  const explained = explainProfile(tuned);
  const inflight = explained.find((k) => k.id === 'apiServer.max-requests-inflight')!;
  t.true(inflight.changed);
  t.is(inflight.default, 400);
  t.deepEqual(inflight.scenarios, ['apiserver-load']);
  t.false(explained.find((k) => k.id === 'apiServer.watch-cache')!.changed);
  const diffs = diffProfiles(loadProfile('default').profile, tuned);
  t.true(
    diffs.some((d) => d.id === 'kubelet.serializeImagePulls' && d.a === true && d.b === false),
  );
  t.false(diffs.some((d) => d.id === 'apiServer.watch-cache'));
});
