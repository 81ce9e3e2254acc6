/**
 * The refinement of a scenario that puts `pods` pods on `workers` real workers: the kubelet's
 * maxPods is 110, and system pods (kube-proxy, CNI, CoreDNS) take a few, so at most 100 each.
 * Use as `.refine(...podsFitWorkers())` on the parameters schema.
 */
export function podsFitWorkers(): [
  (p: { pods: number; workers: number }) => boolean,
  { message: string; path: string[] },
] {
  return [
    (p) => p.pods <= 100 * p.workers,
    {
      message: 'at most 100 pods per worker (kubelet maxPods 110, minus system pods)',
      path: ['pods'],
    },
  ];
}
