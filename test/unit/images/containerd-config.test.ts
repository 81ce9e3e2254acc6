import test from 'ava';
import { parse } from 'smol-toml';
import {
  containerdConfig,
  mergeToml,
  NODE_CRI_CONFIG,
} from '../../../clusters/images/containerd-config.ts';
import { KUBEADM_IMAGES } from '../../../clusters/images/versions.ts';

test('the node config carries the settings kubelet relies on', (t) => {
  const text = containerdConfig();
  t.regex(text, /^version = 2$/m);
  t.true(text.includes('[plugins."io.containerd.grpc.v1.cri"]'));
  t.true(text.includes(`sandbox_image = "${KUBEADM_IMAGES.pause}"`));
  t.true(
    text.includes(
      '[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]\nSystemdCgroup = true',
    ),
  );
  t.true(text.includes('config_path = "/etc/containerd/certs.d"'));
  t.regex(
    text,
    /^restrict_oom_score_adj = false$/m,
    'the prestart script rewrites this exact line',
  );
});

test('changes merge into the CRI section and keep the base settings', (t) => {
  const config = parse(
    containerdConfig({
      cri: { max_concurrent_downloads: 7, containerd: { snapshotter: 'native' } },
    }),
  ) as { plugins: Record<string, Record<string, unknown>> };
  const cri = config.plugins['io.containerd.grpc.v1.cri']!;
  t.is(cri.max_concurrent_downloads, 7);
  t.is((cri.containerd as { snapshotter: string }).snapshotter, 'native');
  t.is(cri.sandbox_image, KUBEADM_IMAGES.pause);
  t.deepEqual(
    (cri.containerd as { runtimes: { runc: { options: unknown } } }).runtimes.runc.options,
    { SystemdCgroup: true },
  );
});

test('mergeToml merges tables and replaces everything else', (t) => {
  t.deepEqual(mergeToml({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, e: true }), {
    a: { b: 1, c: [3] },
    d: 'x',
    e: true,
  });
  t.is((NODE_CRI_CONFIG.containerd as { snapshotter: string }).snapshotter, 'overlayfs');
});
