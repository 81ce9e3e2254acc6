import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { core } from '../../kube.ts';
import { labelKeys } from '../../labels.ts';
import type { ClusterSpec } from '../../provider.ts';

export const ownerConfigMap = { namespace: 'kube-system', name: 'tuneproof-owner' } as const;

/**
 * The marker that lets the existing provider (and safety checks) know the cluster is ours.
 * A restored cluster carries its snapshot's marker, which `replace` rewrites for this run.
 */
export async function markOwnership(
  kc: KubeConfig,
  spec: ClusterSpec,
  opts: { replace?: boolean } = {},
): Promise<void> {
  const body: V1ConfigMap = {
    metadata: { name: ownerConfigMap.name, labels: { [labelKeys.tool]: 'tuneproof' } },
    data: {
      cluster: spec.name,
      run: spec.runId,
      profile: spec.profile.name,
      profileDigest: spec.profile.digest,
      createdAt: new Date().toISOString(),
    },
  };
  if (opts.replace) await core(kc).replaceNamespacedConfigMap({ ...ownerConfigMap, body });
  else await core(kc).createNamespacedConfigMap({ namespace: ownerConfigMap.namespace, body });
}
