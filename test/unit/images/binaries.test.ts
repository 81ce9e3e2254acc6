import { join } from 'node:path';
import test from 'ava';
import {
  BINARY_GROUPS,
  cacheKey,
  elfInterpreterOf,
  goPlatform,
  recipes,
  stableJson,
} from '../../../clusters/images/binaries.ts';
import { cacheDir } from '../../../clusters/images/cache-dir.ts';
import { KUBEADM_IMAGES, KUBERNETES_VERSION } from '../../../clusters/images/versions.ts';

const amd64 = { goos: 'linux', goarch: 'amd64' };

test('cache key names group and version and is stable', (t) => {
  const r = recipes().kubernetes;
  const key = cacheKey(r, amd64);
  t.regex(key, /^kubernetes-v1\.34\.4-[0-9a-f]{12}$/);
  t.is(cacheKey(recipes().kubernetes, amd64), key);
});

test('a changed recipe or platform changes the cache key', (t) => {
  const r = recipes().etcd;
  const key = cacheKey(r, amd64);
  const flags = r.builds.map((b) => ({ ...b, ldflags: [...b.ldflags, '-X main.x=y'] }));
  t.not(cacheKey({ ...r, builds: flags }, amd64), key);
  t.not(cacheKey({ ...r, version: 'v3.6.6' }, amd64), key);
  t.not(cacheKey(r, { goos: 'linux', goarch: 'arm64' }), key);
});

test('version checks do not change the cache key (they do not change the binaries)', (t) => {
  const r = recipes().k6;
  t.is(
    cacheKey(
      { ...r, checks: { k6: { args: ['--version'], expect: 'x' } }, coldMinutes: 99 },
      amd64,
    ),
    cacheKey(r, amd64),
  );
});

test('stableJson ignores key order', (t) => {
  t.is(stableJson({ b: 1, a: [{ d: 2, c: 3 }] }), stableJson({ a: [{ c: 3, d: 2 }], b: 1 }));
});

test('every binary of every group has a version check and a version', (t) => {
  const all = recipes();
  for (const [group, names] of Object.entries(BINARY_GROUPS)) {
    const r = all[group as keyof typeof all];
    for (const n of names) {
      t.truthy(r.checks[n], `${group}/${n} check`);
      t.truthy(r.binaryVersions[n], `${group}/${n} version`);
    }
  }
});

test('kubernetes is built with the version stamps kubeadm checks', (t) => {
  const flags = recipes().kubernetes.builds[0]!.ldflags.join(' ');
  t.true(flags.includes(`-X k8s.io/component-base/version.gitVersion=${KUBERNETES_VERSION}`));
  t.true(flags.includes('-X k8s.io/client-go/pkg/version.gitMinor=34'));
  t.true(flags.startsWith('-s -w '));
});

test('image tags are what kubeadm v1.34.4 expects', (t) => {
  t.is(KUBEADM_IMAGES.kubeApiserver, 'registry.k8s.io/kube-apiserver:v1.34.4');
  t.is(KUBEADM_IMAGES.etcd, 'registry.k8s.io/etcd:3.6.5-0');
  t.is(KUBEADM_IMAGES.coredns, 'registry.k8s.io/coredns/coredns:v1.12.1');
  t.is(KUBEADM_IMAGES.pause, 'registry.k8s.io/pause:3.10.1');
});

test('goPlatform maps node names to Go names', (t) => {
  t.deepEqual(goPlatform('linux', 'x64'), amd64);
  t.deepEqual(goPlatform('linux', 'arm64'), { goos: 'linux', goarch: 'arm64' });
  t.throws(() => goPlatform('darwin', 'arm64'));
});

test('cacheDir honours TUNEPROOF_CACHE, then XDG_CACHE_HOME, then HOME', (t) => {
  t.is(cacheDir({ TUNEPROOF_CACHE: '/c/tp', XDG_CACHE_HOME: '/x' }), '/c/tp');
  t.is(cacheDir({ XDG_CACHE_HOME: '/x', HOME: '/h' }), join('/x', 'tuneproof'));
  t.is(cacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' }), '/h/.cache/tuneproof');
  t.is(cacheDir({ HOME: '/h' }), '/h/.cache/tuneproof');
});

/** A minimal ELF64 LE header with the given program header types (and an interpreter). */
function elf(types: number[], interp?: string): Buffer {
  const phoff = 64;
  const phentsize = 56;
  const dataAt = phoff + types.length * phentsize;
  const buf = Buffer.alloc(dataAt + 64);
  buf.writeUInt32BE(0x7f454c46, 0);
  buf[4] = 2;
  buf[5] = 1;
  buf.writeBigUInt64LE(BigInt(phoff), 0x20);
  buf.writeUInt16LE(phentsize, 0x36);
  buf.writeUInt16LE(types.length, 0x38);
  types.forEach((type, i) => {
    const at = phoff + i * phentsize;
    buf.writeUInt32LE(type, at);
    if (type === 3 && interp) {
      buf.writeBigUInt64LE(BigInt(dataAt), at + 8);
      buf.writeBigUInt64LE(BigInt(interp.length + 1), at + 32);
      buf.write(`${interp}\0`, dataAt, 'latin1');
    }
  });
  return buf;
}

test('elfInterpreterOf tells static from dynamic binaries', (t) => {
  t.is(elfInterpreterOf(elf([6, 1, 1])), undefined);
  t.is(
    elfInterpreterOf(elf([6, 3, 1, 2], '/lib64/ld-linux-x86-64.so.2')),
    '/lib64/ld-linux-x86-64.so.2',
  );
  t.is(elfInterpreterOf(elf([1, 2])), '');
  t.throws(() => elfInterpreterOf(Buffer.from('#!/bin/sh\n'.padEnd(64))));
});
