import { getRaw } from '../../clusters/kube.ts';
import type { Measurement, ScenarioContext } from '../scenario/types.ts';
import {
  counterDelta,
  histogramDelta,
  histogramQuantile,
  parseScrape,
  type Scrape,
  sumBy,
} from './prometheus.ts';

/**
 * Server-side view of an API load from the apiserver's /metrics, as deltas between the start
 * and the end of the phase: request latency per verb, status codes, API Priority and Fairness
 * rejections and queue waits per priority level, requests in flight (sampled), and the
 * apiserver's view of etcd latency.
 */
export class ApiserverMetrics implements Measurement {
  readonly name = 'apiserver-metrics';
  readonly #resource: string;
  readonly #sampleMs: number;
  #before: Scrape | undefined;
  #timer: NodeJS.Timeout | undefined;
  #inflightMax = new Map<string, number>();

  /** `resource`: the resource the load targets (e.g. configmaps), for per-verb latency. */
  constructor(resource: string, sampleMs = 2000) {
    this.#resource = resource;
    this.#sampleMs = sampleMs;
  }

  async #scrape(ctx: ScenarioContext<unknown>): Promise<Scrape> {
    return parseScrape(await getRaw(ctx.cluster.kubeConfig(), '/metrics', 30_000));
  }

  async start(ctx: ScenarioContext<unknown>): Promise<void> {
    this.#before = await this.#scrape(ctx);
    this.#timer = setInterval(() => {
      this.#scrape(ctx)
        .then((s) => {
          for (const [kind, v] of sumBy(s, 'apiserver_current_inflight_requests', 'request_kind')) {
            ctx.writer.sample('apiserver.inflight', v, { request_kind: kind });
            this.#inflightMax.set(kind, Math.max(this.#inflightMax.get(kind) ?? 0, v));
          }
          for (const [level, v] of sumBy(
            s,
            'apiserver_flowcontrol_current_inqueue_requests',
            'priority_level',
          ))
            ctx.writer.sample('apf.inqueue', v, { priority_level: level });
        })
        .catch(() => {
          // an apiserver too busy to answer /metrics is what the load may cause: the gap shows
        });
    }, this.#sampleMs);
    this.#timer.unref();
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    clearInterval(this.#timer);
    const before = this.#before;
    if (!before) return;
    const after = await this.#scrape(ctx);
    const w = ctx.writer;
    const filter = { resource: this.#resource };
    for (const [verb, h] of histogramDelta(
      before,
      after,
      'apiserver_request_duration_seconds',
      'verb',
      filter,
    )) {
      for (const [q, label] of [
        [0.5, 'p50'],
        [0.99, 'p99'],
      ] as const) {
        const v = histogramQuantile(q, h);
        if (v !== undefined)
          w.metric({
            name: `apiserver.request_duration.${label}`,
            labels: { verb },
            unit: 'ms',
            direction: 'lower',
            value: v * 1000,
            description:
              'server-side latency (apiserver_request_duration_seconds, bucket-interpolated)',
          });
      }
    }
    for (const [code, n] of counterDelta(before, after, 'apiserver_request_total', 'code', filter))
      w.metric({
        name: 'apiserver.requests',
        labels: { code },
        unit: 'count',
        direction: code.startsWith('2') ? 'none' : 'lower',
        value: n,
      });
    const rejected = counterDelta(
      before,
      after,
      'apiserver_flowcontrol_rejected_requests_total',
      'priority_level',
    );
    let rejectedTotal = 0;
    for (const [level, n] of rejected) {
      rejectedTotal += n;
      w.metric({
        name: 'apf.rejected',
        labels: { priority_level: level },
        unit: 'count',
        direction: 'lower',
        value: n,
      });
    }
    w.metric({
      name: 'apf.rejected_total',
      unit: 'count',
      direction: 'lower',
      value: rejectedTotal,
      description: 'requests API Priority and Fairness rejected (429)',
    });
    for (const [level, h] of histogramDelta(
      before,
      after,
      'apiserver_flowcontrol_request_wait_duration_seconds',
      'priority_level',
    )) {
      const v = histogramQuantile(0.99, h);
      if (v !== undefined && h.count > 0)
        w.metric({
          name: 'apf.queue_wait.p99',
          labels: { priority_level: level },
          unit: 'ms',
          direction: 'lower',
          value: v * 1000,
        });
    }
    for (const [kind, v] of this.#inflightMax)
      w.metric({
        name: 'apiserver.inflight_max',
        labels: { request_kind: kind },
        unit: 'count',
        direction: 'none',
        value: v,
      });
    const etcd = histogramDelta(before, after, 'etcd_request_duration_seconds').get('');
    const etcdP99 = etcd ? histogramQuantile(0.99, etcd) : undefined;
    if (etcdP99 !== undefined)
      w.metric({
        name: 'apiserver.etcd_request_duration.p99',
        unit: 'ms',
        direction: 'lower',
        value: etcdP99 * 1000,
      });
  }
}
