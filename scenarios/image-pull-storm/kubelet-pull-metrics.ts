import { getRaw } from '../../clusters/kube.ts';
import {
  counterDelta,
  histogramDelta,
  histogramQuantile,
  parseScrape,
  type Scrape,
} from '../../harness/measure/prometheus.ts';
import { stableNodeLabel } from '../../harness/scenario/node-label.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';

const pullOp = { operation_type: 'pull_image' };

/**
 * The kubelets' own view of the pulls, as deltas of each node's /metrics (through the
 * apiserver's node proxy) between start and gather: the CRI PullImage call latency
 * (kubelet_runtime_operations_duration_seconds{operation_type="pull_image"}) and its errors.
 * A cross-check of the durations the scenario reads from Pulled events; bucket-interpolated.
 */
export class KubeletPullMetrics implements Measurement {
  readonly name = 'kubelet-pull-metrics';
  #before = new Map<string, Scrape>();

  async #scrape(ctx: ScenarioContext<unknown>, node: string): Promise<Scrape> {
    return parseScrape(
      await getRaw(ctx.cluster.kubeConfig(), `/api/v1/nodes/${node}/proxy/metrics`, 30_000),
    );
  }

  #nodes(ctx: ScenarioContext<unknown>): string[] {
    const workers = ctx.cluster.nodes.filter((n) => n.role === 'worker');
    return (workers.length ? workers : ctx.cluster.nodes).map((n) => n.name);
  }

  async start(ctx: ScenarioContext<unknown>): Promise<void> {
    for (const node of this.#nodes(ctx)) this.#before.set(node, await this.#scrape(ctx, node));
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    for (const node of this.#nodes(ctx)) {
      const before = this.#before.get(node);
      if (!before) continue;
      const labels = { node: stableNodeLabel(ctx.cluster.name, node) };
      const after = await this.#scrape(ctx, node);
      const h = histogramDelta(
        before,
        after,
        'kubelet_runtime_operations_duration_seconds',
        undefined,
        pullOp,
      ).get('');
      if (h && h.count > 0) {
        ctx.writer.metric({
          name: 'kubelet.pull_image_calls',
          labels,
          unit: 'count',
          direction: 'none',
          value: h.count,
        });
        for (const [q, key] of [
          [0.5, 'p50'],
          [0.99, 'p99'],
        ] as const) {
          const v = histogramQuantile(q, h);
          if (v !== undefined)
            ctx.writer.metric({
              name: `kubelet.pull_image_duration.${key}`,
              labels,
              unit: 'ms',
              // context, not an outcome: see pull.duration in storm-metrics.ts
              direction: 'none',
              value: v * 1000,
              description: 'CRI PullImage latency, kubelet metrics (bucket-interpolated)',
            });
        }
      }
      const errors = counterDelta(
        before,
        after,
        'kubelet_runtime_operations_errors_total',
        undefined,
        pullOp,
      ).get('');
      ctx.writer.metric({
        name: 'kubelet.pull_image_errors',
        labels,
        unit: 'count',
        direction: 'lower',
        value: errors ?? 0,
      });
    }
  }
}
