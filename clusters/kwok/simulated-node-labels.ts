/**
 * Labels and the taint every simulated node carries. kwok manages the nodes whose heartbeat
 * label is `on`; setting it to `off` takes a node out of kwok's hands, so its lease and status
 * go stale exactly as if its kubelet had lost the apiserver (the zone-outage fault).
 */
export const simulatedNodeLabels = {
  simulated: 'tuneproof.dev/simulated',
  heartbeat: 'tuneproof.dev/simulated-heartbeat',
  zone: 'topology.kubernetes.io/zone',
  /**
   * Upstream's label that keeps a node out of its zone's health count (node lifecycle
   * controller). Simulated nodes carry it until all of them are Ready; see SimulatedNodes.start.
   */
  excludeDisruption: 'node.kubernetes.io/exclude-disruption',
} as const;

/** What kwok is told to manage (`manageNodesWithLabelSelector`). */
export const managedSelector = `${simulatedNodeLabels.heartbeat}=on`;

/**
 * NoSchedule taint: only pods that ask for simulated nodes land there; the real workers keep
 * the pods that must really run (CoreDNS, other scenarios' workloads).
 */
export const simulatedNodeTaint = {
  key: simulatedNodeLabels.simulated,
  value: 'true',
  effect: 'NoSchedule',
} as const;

/** The toleration (and node selector) a workload needs to run on simulated nodes. */
export const onSimulatedNodes = {
  tolerations: [{ key: simulatedNodeTaint.key, operator: 'Exists', effect: 'NoSchedule' }],
  nodeSelector: { [simulatedNodeLabels.simulated]: 'true' },
} as const;
