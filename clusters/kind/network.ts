import { docker } from '../docker.ts';
import { labelKeys } from '../labels.ts';
import type { ClusterPlan } from './plan.ts';

/** Subnets of every Docker network, so a new cluster network overlaps none. */
export async function takenSubnets(): Promise<string[]> {
  const d = await docker();
  const networks = await d.listNetworks();
  return networks.flatMap((n) =>
    (n.IPAM?.Config ?? []).map((c) => c.Subnet).filter((s): s is string => !!s),
  );
}

/** A bridge network with a fixed subnet, labelled with its owner. */
export async function createNetwork(
  plan: ClusterPlan,
  labels: Record<string, string>,
): Promise<string> {
  const d = await docker();
  const network = await d.createNetwork({
    Name: plan.network.name,
    Driver: 'bridge',
    CheckDuplicate: true,
    IPAM: {
      Driver: 'default',
      Config: [{ Subnet: plan.network.subnet, Gateway: plan.network.gateway }],
    },
    Options: { 'com.docker.network.driver.mtu': '1500' },
    Labels: labels,
  });
  return network.id;
}

export async function removeNetworksOf(filter: {
  run?: string;
  cluster?: string;
}): Promise<string[]> {
  const d = await docker();
  const label = [`${labelKeys.tool}=tuneproof`];
  if (filter.run) label.push(`${labelKeys.run}=${filter.run}`);
  if (filter.cluster) label.push(`${labelKeys.cluster}=${filter.cluster}`);
  const networks = await d.listNetworks({ filters: { label } });
  for (const n of networks) await d.getNetwork(n.Id).remove();
  return networks.map((n) => n.Name);
}
