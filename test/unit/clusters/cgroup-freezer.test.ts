import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { thawNestedFreezers } from '../../../clusters/cgroup-freezer.ts';

test('thaws frozen and freezing groups below the container, leaves thawed ones alone', async (t) => {
  const mount = mkdtempSync(join(tmpdir(), 'freezer-'));
  const root = join(mount, 'docker', 'abc');
  const groups = {
    [root]: 'THAWED',
    [join(root, 'kubelet.slice')]: 'THAWED',
    [join(root, 'kubelet.slice', 'pod', 'cri-containerd-1.scope')]: 'FROZEN',
    [join(root, 'kubelet.slice', 'pod', 'cri-containerd-2.scope')]: 'FREEZING',
    [join(mount, 'docker', 'other', 'x')]: 'FROZEN',
  };
  for (const [dir, state] of Object.entries(groups)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'freezer.state'), state);
  }
  const thawed = await thawNestedFreezers('abc', mount);
  t.deepEqual(thawed.map((d) => d.slice(root.length)).sort(), [
    '/kubelet.slice/pod/cri-containerd-1.scope',
    '/kubelet.slice/pod/cri-containerd-2.scope',
  ]);
  for (const dir of Object.keys(groups).filter((d) => d.startsWith(root)))
    t.is(readFileSync(join(dir, 'freezer.state'), 'utf8').trim(), 'THAWED');
  t.is(
    readFileSync(join(mount, 'docker', 'other', 'x', 'freezer.state'), 'utf8'),
    'FROZEN',
    "another container's groups are not touched",
  );
});

test('a container without a freezer group (cgroup v2, gone) thaws nothing', async (t) => {
  t.deepEqual(await thawNestedFreezers('nope', mkdtempSync(join(tmpdir(), 'freezer-'))), []);
});
