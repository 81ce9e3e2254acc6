import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { recipeHash } from '../../../clusters/images/docker-image.ts';
import { localTag } from '../../../clusters/images/kubeadm-images.ts';
import { NODE_ROOTFS, rootfsHash, WORKLOAD_ROOTFS } from '../../../clusters/images/rootfs.ts';
import { KUBEADM_IMAGES } from '../../../clusters/images/versions.ts';
import { debianUpstreamVersion } from '../../../clusters/images/workload-images.ts';

test('recipe hash covers Dockerfile, labels, inputs and file contents', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tp-recipe-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'bin');
  await writeFile(file, 'one');
  const base = { tag: 't:1', dockerfile: 'FROM scratch\n', files: [{ path: 'bin', source: file }] };
  const h = await recipeHash(base);
  t.is(await recipeHash({ ...base }), h);
  t.not(await recipeHash({ ...base, dockerfile: 'FROM scratch\nENV A=1\n' }), h);
  t.not(await recipeHash({ ...base, labels: { a: 'b' } }), h);
  t.not(await recipeHash({ ...base, inputs: ['sha256:x'] }), h);
  t.not(await recipeHash({ ...base, files: [{ path: 'bin', source: file, mode: 0o755 }] }), h);
  await new Promise((r) => setTimeout(r, 20));
  await writeFile(file, 'two');
  t.not(await recipeHash(base), h);
});

test('rootfs hash depends on the package set, not its order', (t) => {
  const reversed = { ...NODE_ROOTFS, packages: [...NODE_ROOTFS.packages].reverse() };
  t.is(rootfsHash(reversed), rootfsHash(NODE_ROOTFS));
  t.not(rootfsHash(WORKLOAD_ROOTFS), rootfsHash(NODE_ROOTFS));
  t.not(
    rootfsHash({ ...NODE_ROOTFS, packages: [...NODE_ROOTFS.packages, 'fio'] }),
    rootfsHash(NODE_ROOTFS),
  );
});

test('local tags never reuse registry.k8s.io names', (t) => {
  t.is(localTag(KUBEADM_IMAGES.coredns), 'tuneproof/coredns:v1.12.1');
  t.is(localTag(KUBEADM_IMAGES.etcd), 'tuneproof/etcd:3.6.5-0');
  for (const ref of Object.values(KUBEADM_IMAGES)) t.true(localTag(ref).startsWith('tuneproof/'));
});

test('Debian versions become image tags', (t) => {
  t.is(debianUpstreamVersion('3.0.11-1+deb13u4'), '3.0.11');
  t.is(debianUpstreamVersion('1:1.4.8-2'), '1.4.8');
  t.is(debianUpstreamVersion('2.8.3+ds1-2+b8'), '2.8.3');
  t.is(debianUpstreamVersion(undefined), 'unknown');
});
