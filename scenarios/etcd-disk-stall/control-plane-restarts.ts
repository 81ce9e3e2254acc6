import { core } from '../../clusters/kube.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';

const components = ['etcd', 'kube-apiserver'];

/** Restarts of etcd and the apiserver during the run (a stall can make the kubelet restart them). */
export class ControlPlaneRestarts implements Measurement {
  readonly name = 'control-plane-restarts';
  #before: Map<string, number> | undefined;

  async start(ctx: ScenarioContext<unknown>): Promise<void> {
    this.#before = await restartCounts(ctx);
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    if (!this.#before) return;
    const after = await restartCounts(ctx);
    for (const component of components) {
      ctx.writer.metric({
        name: 'control_plane.restarts',
        labels: { component },
        unit: 'count',
        direction: 'lower',
        value: (after.get(component) ?? 0) - (this.#before.get(component) ?? 0),
      });
    }
  }
}

/** Container restarts of the static control-plane pods (a stall can make the kubelet restart them). */
async function restartCounts(ctx: ScenarioContext<unknown>): Promise<Map<string, number>> {
  const pods = await core(ctx.cluster.kubeConfig()).listNamespacedPod({
    namespace: 'kube-system',
    labelSelector: 'tier=control-plane',
  });
  const out = new Map<string, number>();
  for (const p of pods.items) {
    const component = p.metadata?.labels?.component ?? '';
    out.set(
      component,
      (p.status?.containerStatuses ?? []).reduce((a, c) => a + c.restartCount, 0),
    );
  }
  return out;
}
