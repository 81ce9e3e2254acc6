import type { KubeConfig } from '@kubernetes/client-node';
import type { ResolvedProfile } from '../../harness/profiles/index.ts';
import { ensureBinaries } from '../images/binaries.ts';
import { SimulatedNodes, type SimulatedNodesSpec } from './simulated-nodes.ts';

/** Builds (or finds) kwok, starts it against the cluster and brings `spec.count` nodes Ready. */
export async function startSimulatedNodes(opts: {
  kc: KubeConfig;
  clusterName: string;
  profile: ResolvedProfile;
  spec: SimulatedNodesSpec;
}): Promise<SimulatedNodes> {
  const built = await ensureBinaries({ groups: ['kwok'] });
  return SimulatedNodes.start({
    ...opts,
    kwok: { path: built.paths.kwok, version: built.versions.kwok },
  });
}
