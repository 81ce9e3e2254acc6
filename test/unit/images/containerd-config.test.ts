import test from 'ava';
import {
  containerdConfig,
  mergeToml,
  NODE_CRI_CONFIG,
  toToml,
} from '../../../clusters/images/containerd-config.ts';
import { KUBEADM_IMAGES } from '../../../clusters/images/versions.ts';

test('the node config imports conf.d and carries the settings kubelet relies on', (t) => {
  const text = containerdConfig();
  t.regex(text, /^version = 2$/m);
  t.regex(text, /^imports = \["\/etc\/containerd\/conf\.d\/\*\.toml"\]$/m);
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

test('a fragment is the whole CRI section with the changes merged in, and no imports', (t) => {
  const text = containerdConfig({
    cri: { max_concurrent_downloads: 7, containerd: { snapshotter: 'native' } },
    fragment: true,
  });
  t.false(text.includes('imports'));
  t.true(text.includes('max_concurrent_downloads = 7'));
  t.true(text.includes('snapshotter = "native"'));
  // containerd 1.7 replaces a plugin section from an import as a whole: the base must survive.
  t.true(text.includes('SystemdCgroup = true'));
  t.true(text.includes(`sandbox_image = "${KUBEADM_IMAGES.pause}"`));
});

test('mergeToml merges tables and replaces everything else', (t) => {
  t.deepEqual(mergeToml({ a: { b: 1, c: [1, 2] }, d: 'x' }, { a: { c: [3] }, e: true }), {
    a: { b: 1, c: [3] },
    d: 'x',
    e: true,
  });
  t.is((NODE_CRI_CONFIG.containerd as { snapshotter: string }).snapshotter, 'overlayfs');
});

test('toToml quotes dotted keys and writes scalars first', (t) => {
  t.is(
    toToml({ x: 1, 'a.b': { s: 'q"uote', l: ['u', 'v'] } }),
    'x = 1\n\n["a.b"]\ns = "q\\"uote"\nl = ["u", "v"]\n',
  );
  t.throws(() => toToml({ n: Number.NaN }));
});
