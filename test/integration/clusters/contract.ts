import type { ExecutionContext } from 'ava';
import { core } from '../../../clusters/kube.ts';
import type { Cluster } from '../../../clusters/provider.ts';

/**
 * What every provider's cluster must satisfy (kindcontainer's allContainers idea): run against
 * each provider by the provider tests.
 */
export async function clusterContract(
  t: ExecutionContext,
  cluster: Cluster,
  expect: { nodes: number },
): Promise<void> {
  const api = core(cluster.kubeConfig());
  const nodes = (await api.listNode()).items;
  t.is(nodes.length, expect.nodes, `${cluster.provider}: node count`);
  for (const n of nodes)
    t.is(
      n.status?.conditions?.find((c) => c.type === 'Ready')?.status,
      'True',
      `${cluster.provider}: ${n.metadata?.name} Ready`,
    );
  t.is(cluster.facts().nodes.length, expect.nodes, `${cluster.provider}: facts list every node`);
  t.truthy(
    cluster.facts().kubernetesVersion,
    `${cluster.provider}: facts name the Kubernetes version`,
  );
  t.regex(
    cluster.apiServerUrl,
    /^https:\/\/127\.0\.0\.1:\d+$/,
    `${cluster.provider}: API on loopback`,
  );
  // handles exist exactly when the provider can exec into nodes
  t.is(
    cluster.nodes.length > 0,
    cluster.capabilities.nodeExec,
    `${cluster.provider}: node handles iff nodeExec`,
  );
  if (cluster.capabilities.nodeExec) {
    for (const n of cluster.nodes)
      t.is(
        (await n.exec(['cat', '/etc/hostname'])).stdout.trim(),
        n.name,
        `${cluster.provider}: exec on ${n.name}`,
      );
  }
  if (cluster.capabilities.partitionNode || cluster.capabilities.pauseNode)
    t.true(cluster.capabilities.destructive, `${cluster.provider}: faults imply destructive`);
  const entries = cluster.effectiveConfig();
  t.true(entries.length > 0, `${cluster.provider}: effective config read back`);
  t.false(
    entries.some((e) => e.status === 'differs'),
    `${cluster.provider}: no knob differs from the profile`,
  );
  t.is(
    (await api.readNamespacedConfigMap({ namespace: 'kube-system', name: 'tuneproof-owner' })).data
      ?.cluster,
    cluster.facts().name,
  );
}
