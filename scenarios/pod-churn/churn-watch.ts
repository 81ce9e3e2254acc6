import type { KubeConfig } from '@kubernetes/client-node';
import { ResourceWatch } from '../../harness/measure/resource-watch.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { writeChurnResults } from './churn-metrics.ts';
import {
  buildChurnPods,
  type ChurnPod,
  type ChurnPodJson,
  type ObservedPod,
} from './churn-timeline.ts';

/** The churn's namespace (the scenario creates it, the churn measurement watches it). */
export const churnNamespace = 'tuneproof-pod-churn';

/**
 * The churn as the API server recorded it: the churn namespace's pods, watched from `watch`
 * (called before the Deployments are created) until `stop`, turned into each pod's stages and
 * the churn's metrics at gather, also when the scenario failed mid-churn.
 */
export class PodChurnWatch implements Measurement {
  readonly name = 'pod-churn';
  readonly #changes: ObservedPod[] = [];
  #watch: ResourceWatch | undefined;
  #expected = 0;
  #until: 'running' | 'scheduled' = 'running';

  /** The pods as seen so far (the scenario waits on them). */
  pods(): ChurnPod[] {
    return buildChurnPods(this.#changes);
  }

  async start(): Promise<void> {}

  /** Starts watching the churn namespace's pods; `expected` pods are about to be created. */
  async watch(
    kc: KubeConfig,
    labelSelector: string,
    expected: number,
    until: 'running' | 'scheduled',
  ): Promise<void> {
    this.#expected = expected;
    this.#until = until;
    this.#watch = new ResourceWatch(kc, {
      path: `/api/v1/namespaces/${churnNamespace}/pods`,
      labelSelector,
      onChange: (c) =>
        this.#changes.push({
          type: c.type,
          object: c.object as ChurnPodJson,
          observedMs: c.observedMs,
        }),
    });
    await this.#watch.start();
  }

  stop(): void {
    this.#watch?.stop();
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    if (!this.#watch) return;
    this.stop();
    const pods = this.pods();
    ctx.writer.artifact('pods.json', `${JSON.stringify(pods, null, 2)}\n`);
    const s = writeChurnResults(ctx.writer, pods);
    const reached = this.#until === 'running' ? s.running : s.stages.schedule.pods;
    if (s.pods < this.#expected || reached < this.#expected)
      ctx.writer.markInvalid(
        `the churn did not complete: ${reached} of ${this.#expected} pods ${this.#until} (${s.pods} created)`,
      );
    else
      log.info(
        `Churn: ${s.pods} pods created in ${s.stages.create.spanSeconds} s, scheduled in ${s.stages.schedule.spanSeconds} s, ${s.completionMs === undefined ? '' : `running ${(s.completionMs / 1000).toFixed(0)} s after the first was created, `}deletions requested in ${s.stages.delete.spanSeconds} s`,
      );
  }
}
