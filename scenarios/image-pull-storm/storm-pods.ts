import type { V1Pod } from '@kubernetes/client-node';

export interface StormPlacement {
  pod: string;
  node: string;
  image: string;
}

/**
 * Which pod runs which image on which node: pods go round-robin over the nodes, and each node's
 * pods take the images in turn, so every node pulls min(images, its pods) distinct images and
 * all nodes see the same storm. Pinned by hostname (the scheduler still binds them: its
 * latency is part of created -> scheduled), so runs of two profiles place pods identically.
 */
export function placePods(
  pods: number,
  nodes: readonly string[],
  images: readonly string[],
): StormPlacement[] {
  if (nodes.length === 0 || images.length === 0) return [];
  return Array.from({ length: pods }, (_, i) => ({
    pod: `storm-${i}`,
    node: nodes[i % nodes.length]!,
    image: images[Math.floor(i / nodes.length) % images.length]!,
  }));
}

export function stormPod(
  p: StormPlacement,
  imagePullPolicy: 'Always' | 'IfNotPresent',
  labels: Record<string, string>,
): V1Pod {
  return {
    metadata: { name: p.pod, labels },
    spec: {
      nodeSelector: { 'kubernetes.io/hostname': p.node },
      containers: [
        {
          name: 'app',
          image: p.image,
          imagePullPolicy,
          resources: { requests: { cpu: '1m', memory: '8Mi' }, limits: { memory: '32Mi' } },
        },
      ],
      terminationGracePeriodSeconds: 0,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
    },
  };
}
