import { stringify } from 'yaml';
import { churnNamespace } from './churn-watch.ts';

export const churnLabels = { 'app.kubernetes.io/name': 'pod-churn' };
export const churnSelector = 'app.kubernetes.io/name=pod-churn';

/** `pods` over `deployments` as evenly as whole replicas allow (the first ones take the rest). */
export function splitReplicas(pods: number, deployments: number): number[] {
  const base = Math.floor(pods / deployments);
  return Array.from({ length: deployments }, (_, i) => base + (i < pods % deployments ? 1 : 0));
}

/**
 * The churn's Deployments with these replica counts. The pods run the node's own sandbox image
 * (present on every node: it runs every pod sandbox) with imagePullPolicy Never, so no pod ever
 * pulls, which is what the pod startup SLO assumes; a missing image fails the pod instead of
 * pulling it. A 1 s grace period (0 would delete a bound pod at once, without a deletion timestamp to
 * read) and no service-account token or service links keep the kubelet's
 * work per pod small.
 */
export function deploymentsManifest(replicas: readonly number[], image: string): string {
  return replicas
    .map((n, i) => {
      const labels = { ...churnLabels, 'tuneproof.dev/churn-deployment': `churn-${i}` };
      return stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: `churn-${i}`, namespace: churnNamespace, labels: churnLabels },
        spec: {
          replicas: n,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              containers: [
                {
                  name: 'pause',
                  image,
                  imagePullPolicy: 'Never',
                  resources: { requests: { cpu: '1m', memory: '4Mi' } },
                },
              ],
              terminationGracePeriodSeconds: 1,
              automountServiceAccountToken: false,
              enableServiceLinks: false,
            },
          },
        },
      });
    })
    .join('---\n');
}
