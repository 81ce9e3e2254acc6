/**
 * A node's name as a metric label that is the same in every run: kind names nodes after their
 * cluster ("tp-3f2a1c-worker"), and every run has a fresh cluster, so the cluster prefix is
 * dropped ("worker", "worker2", "control-plane"). Without it a per-node metric of one run never
 * meets its counterpart of another and cannot be compared. Names without the prefix (an
 * existing cluster's nodes) stay as they are.
 */
export function stableNodeLabel(clusterName: string, node: string): string {
  const prefix = `${clusterName}-`;
  return node.startsWith(prefix) && node.length > prefix.length ? node.slice(prefix.length) : node;
}
