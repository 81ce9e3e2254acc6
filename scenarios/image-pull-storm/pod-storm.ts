import type { KubeConfig } from '@kubernetes/client-node';
import { ResourceWatch } from '../../harness/measure/resource-watch.ts';
import { stableNodeLabel } from '../../harness/scenario/node-label.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { buildTimelines, type EventJson, type Observed, type PodJson } from './pod-timeline.ts';
import { writeStormResults } from './storm-metrics.ts';

/** The storm's namespace (the scenario creates it, the storm measurement watches it). */
export const stormNamespace = 'tuneproof-pull-storm';
const namespace = stormNamespace;

/**
 * The storm as the cluster saw it: the storm namespace's pods and events, watched from `watch`
 * (called right before the pods are created) until `stop`, turned into each pod's way to
 * Running and the storm's metrics at gather, also when the scenario failed mid-storm.
 */
export class PodStorm implements Measurement {
  readonly name = 'pod-storm';
  readonly #timeoutSeconds: number;
  readonly #pods: Observed<PodJson>[] = [];
  readonly #events: Observed<EventJson>[] = [];
  #watches: ResourceWatch[] = [];
  #nodes: string[] = [];

  constructor(timeoutSeconds: number) {
    this.#timeoutSeconds = timeoutSeconds;
  }

  /** The pods seen so far (the scenario waits on them). */
  get pods(): readonly Observed<PodJson>[] {
    return this.#pods;
  }

  async start(): Promise<void> {}

  /** Starts watching the storm namespace; `nodes` are the nodes the storm lands on. */
  async watch(kc: KubeConfig, nodes: string[]): Promise<void> {
    this.#nodes = nodes;
    this.#watches = [
      new ResourceWatch(kc, {
        path: `/api/v1/namespaces/${namespace}/pods`,
        onChange: (c) => this.#pods.push({ object: c.object as PodJson, observedMs: c.observedMs }),
      }),
      new ResourceWatch(kc, {
        path: `/api/v1/namespaces/${namespace}/events`,
        onChange: (c) =>
          this.#events.push({ object: c.object as EventJson, observedMs: c.observedMs }),
      }),
    ];
    await Promise.all(this.#watches.map((w) => w.start()));
  }

  stop(): void {
    for (const w of this.#watches) w.stop();
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    const { writer, cluster } = ctx;
    if (!this.#watches.length) return;
    this.stop();
    const timelines = [...buildTimelines(this.#pods, this.#events).values()].filter((t) =>
      t.name.startsWith('storm-'),
    );
    writer.artifact('pods.json', `${JSON.stringify(timelines, null, 2)}\n`);
    writer.artifact(
      'events.json',
      `${JSON.stringify(
        this.#events.map(({ object: e, observedMs }) => ({
          observed: new Date(observedMs).toISOString(),
          pod: e.involvedObject?.name,
          reason: e.reason,
          message: e.message,
          count: e.count,
          lastTimestamp: e.lastTimestamp,
        })),
        null,
        2,
      )}\n`,
    );
    const summary = writeStormResults(writer, timelines, this.#nodes, undefined, (n) =>
      stableNodeLabel(cluster.name, n),
    );
    if (summary.completionMs === undefined)
      writer.markInvalid(
        `the storm did not complete: ${summary.pods - summary.running} of ${summary.pods} pods not Running after ${this.#timeoutSeconds}s`,
      );
    else
      log.info(
        `Storm complete: ${summary.pods} pods Running ${(summary.completionMs / 1000).toFixed(1)}s after the first was created (${summary.pulls} pulls, ${summary.pullErrors} pull errors, ${summary.backOffs} back-offs)`,
      );
  }
}
