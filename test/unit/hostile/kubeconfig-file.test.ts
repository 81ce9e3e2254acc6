import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import test from 'ava';
import { namedKubeconfig, writeKubeconfig } from '../../../harness/cli/kubeconfig-file.ts';

/** kubeadm's admin.conf, as a cluster's kubeConfig() holds it. */
function adminKubeconfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'kubernetes',
        server: 'https://127.0.0.1:40123',
        caData: 'Y2E=',
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'kubernetes-admin', certData: 'Y2VydA==', keyData: 'a2V5' }],
    contexts: [
      { name: 'kubernetes-admin@kubernetes', cluster: 'kubernetes', user: 'kubernetes-admin' },
    ],
    currentContext: 'kubernetes-admin@kubernetes',
  });
  return kc;
}

const mode = (path: string) => statSync(path).mode & 0o777;

test('a new kubeconfig is written 0600 under the cluster name, and loads back', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-kc-')), 'kubeconfig');
  const { context } = writeKubeconfig({ path }, namedKubeconfig(adminKubeconfig(), 'tp-abc123'));
  t.is(context, 'tuneproof-tp-abc123');
  t.is(mode(path), 0o600);
  const back = new KubeConfig();
  back.loadFromFile(path);
  t.is(back.getCurrentContext(), 'tuneproof-tp-abc123');
  t.is(back.getCurrentCluster()?.server, 'https://127.0.0.1:40123');
  t.is(back.getCurrentUser()?.keyData, 'a2V5');
});

test('--force over an existing 0644 file leaves 0600, not the old mode', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-kc-')), 'kubeconfig');
  writeFileSync(path, 'old');
  chmodSync(path, 0o644);
  writeKubeconfig({ path, force: true }, namedKubeconfig(adminKubeconfig(), 'tp-1'));
  t.is(mode(path), 0o600);
  t.not(readFileSync(path, 'utf8'), 'old');
});

test('--merge-kubeconfig keeps the user’s clusters and contexts and switches to the new one', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'tp-kc-')), 'config');
  const mine = new KubeConfig();
  mine.loadFromOptions({
    clusters: [{ name: 'prod', server: 'https://prod.example:6443', skipTLSVerify: false }],
    users: [{ name: 'me', token: 'my-own-token' }],
    contexts: [{ name: 'prod', cluster: 'prod', user: 'me' }],
    currentContext: 'prod',
  });
  writeFileSync(path, mine.exportConfig(), { mode: 0o644 });
  writeKubeconfig({ path, merge: true }, namedKubeconfig(adminKubeconfig(), 'tp-1'));
  // a second cluster of the same name replaces its entries instead of duplicating them
  writeKubeconfig({ path, merge: true }, namedKubeconfig(adminKubeconfig(), 'tp-1'));
  const back = new KubeConfig();
  back.loadFromFile(path);
  t.deepEqual(back.contexts.map((c) => c.name).sort(), ['prod', 'tuneproof-tp-1']);
  t.is(back.getCurrentContext(), 'tuneproof-tp-1');
  t.is(back.getUser('me')?.token, 'my-own-token');
  t.is(mode(path), 0o600);
});
