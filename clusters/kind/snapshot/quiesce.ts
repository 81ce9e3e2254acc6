import { CoordinationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { log } from '../../../harness/util/log.ts';
import { core } from '../../kube.ts';
import type { KindNode } from '../node.ts';

/** Leader-election leases whose holder a restore must not wait out. */
export const leaderLeases = ['kube-controller-manager', 'kube-scheduler'] as const;

const tokenType = 'bootstrap.kubernetes.io/token';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

/**
 * Brings a pristine cluster to rest so that what is saved restores cleanly, the way a careful
 * operator shuts a control plane down:
 * - bootstrap tokens are made to outlive the snapshot (kubeadm gave them 2 h; the token
 *   cleaner would delete them right after a later restore); the restore sets them back to
 *   expire their lifetime after it, as on a fresh cluster. Returns each token's lifetime.
 * - kubelets stop first (pods keep running), then the controller manager and scheduler, and
 *   their leader leases are released as client-go's ReleaseOnCancel does (no holder, 1 s): a
 *   restored instance takes the lease at once instead of waiting out the dead holder's 15 s,
 *   which a fresh cluster never waits either.
 * - then every pod's containers stop (etcd last) and containerd with them.
 * Nothing else is written.
 */
export async function quiesce(
  kc: KubeConfig,
  nodes: readonly KindNode[],
  keepTokensUntil: Date,
): Promise<{ secret: string; ttlSeconds: number }[]> {
  const api = core(kc);
  const secrets = await api.listNamespacedSecret({
    namespace: 'kube-system',
    fieldSelector: `type=${tokenType}`,
  });
  const tokens: { secret: string; ttlSeconds: number }[] = [];
  for (const s of secrets.items) {
    const name = s.metadata!.name!;
    const expiration = unb64(s.data?.expiration);
    const created = s.metadata?.creationTimestamp;
    if (!expiration || !created) continue;
    const ttlSeconds = Math.round((Date.parse(expiration) - new Date(created).getTime()) / 1000);
    await api.patchNamespacedSecret({
      namespace: 'kube-system',
      name,
      body: [
        {
          op: 'replace',
          path: '/data/expiration',
          value: b64(keepTokensUntil.toISOString().replace(/\.\d+Z$/, 'Z')),
        },
      ],
    });
    tokens.push({ secret: name, ttlSeconds });
  }
  await Promise.all(nodes.map((n) => n.exec(['systemctl', 'stop', 'kubelet'])));
  const controlPlane = nodes.find((n) => n.role === 'control-plane')!;
  await controlPlane.exec([
    'sh',
    '-c',
    'ids=$(crictl ps -q --name "^(kube-controller-manager|kube-scheduler)$"); [ -z "$ids" ] || crictl stop $ids >/dev/null',
  ]);
  const leases = kc.makeApiClient(CoordinationV1Api);
  for (const name of leaderLeases) {
    const lease = await leases
      .readNamespacedLease({ namespace: 'kube-system', name })
      .catch(() => undefined);
    if (!lease?.spec) continue;
    lease.spec.holderIdentity = '';
    lease.spec.leaseDurationSeconds = 1;
    await leases.replaceNamespacedLease({ namespace: 'kube-system', name, body: lease });
  }
  // Every container stopped with its grace period, etcd last (the apiserver drains against a
  // live etcd), then containerd: the node containers' own stop then finds nothing to kill.
  await Promise.all(
    nodes.map((n) =>
      n.exec(
        [
          'sh',
          '-c',
          `etcd=$(crictl ps -q --name '^etcd$'); rest=$(crictl ps -q | grep -v -x -F "$etcd" || true)
           [ -z "$rest" ] || crictl stop --timeout 30 $rest >/dev/null
           [ -z "$etcd" ] || crictl stop --timeout 30 $etcd >/dev/null
           systemctl stop containerd`,
        ],
        { timeoutMs: 120_000 },
      ),
    ),
  );
  log.debug(`quiesced: ${tokens.length} bootstrap tokens kept, leader leases released`);
  return tokens;
}

/** After a restore: each bootstrap token expires its lifetime from now, as on a fresh cluster. */
export async function redateTokens(
  kc: KubeConfig,
  tokens: readonly { secret: string; ttlSeconds: number }[],
  now = new Date(),
): Promise<void> {
  const api = core(kc);
  for (const t of tokens) {
    const at = new Date(now.getTime() + t.ttlSeconds * 1000);
    await api.patchNamespacedSecret({
      namespace: 'kube-system',
      name: t.secret,
      body: [
        {
          op: 'replace',
          path: '/data/expiration',
          value: b64(at.toISOString().replace(/\.\d+Z$/, 'Z')),
        },
      ],
    });
  }
}
