import type { V1Node } from '@kubernetes/client-node';
import { simulatedNodeLabels, simulatedNodeTaint } from './simulated-node-labels.ts';

export interface SimulatedNodeSlot {
  name: string;
  zone: string;
}

/** Zone names `zone-a`, `zone-b`, ... (zone-26, zone-27 after the alphabet). */
export function zoneName(index: number): string {
  return index < 26 ? `zone-${String.fromCharCode(97 + index)}` : `zone-${index}`;
}

/**
 * `count` nodes named `<prefix>-<zone letter>-<n>` spread round-robin over `zones` zones, so
 * zone sizes differ by at most one.
 */
export function simulatedNodeSlots(
  prefix: string,
  count: number,
  zones: number,
): SimulatedNodeSlot[] {
  const perZone = new Array<number>(zones).fill(0);
  return Array.from({ length: count }, (_, i) => {
    const z = i % zones;
    perZone[z]! += 1;
    const zone = zoneName(z);
    return { name: `${prefix}-${zone.slice(5)}-${perZone[z]}`, zone };
  });
}

/** The Node object kwok then brings to Ready. */
export function simulatedNodeManifest(slot: SimulatedNodeSlot): V1Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: slot.name,
      labels: {
        [simulatedNodeLabels.simulated]: 'true',
        [simulatedNodeLabels.heartbeat]: 'on',
        [simulatedNodeLabels.zone]: slot.zone,
        // out of the zone's health count until every simulated node is Ready (SimulatedNodes.start)
        [simulatedNodeLabels.excludeDisruption]: 'true',
        'kubernetes.io/hostname': slot.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node.kubernetes.io/instance-type': 'simulated',
      },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    // status (capacity, conditions) is kwok's to report: the API ignores it on create
    spec: { taints: [{ ...simulatedNodeTaint }] },
  };
}
