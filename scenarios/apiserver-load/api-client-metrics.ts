import type { K6Run } from '../../harness/load/k6.ts';
import { aggregateRequests, writePerSecond } from '../../harness/load/k6-aggregate.ts';
import { percentileKey, reportedPercentiles } from '../../harness/measure/histogram.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import type { ApiLoad } from './load.ts';

/**
 * The API client's view from every request the k6 load made (handed over with `load`): latency
 * percentiles per verb against SIG Scalability's SLOs, status counts, achieved rate.
 */
export class ApiClientMetrics implements Measurement {
  readonly name = 'api-client';
  readonly #params: ApiLoad;
  #load: K6Run | undefined;

  constructor(params: ApiLoad) {
    this.#params = params;
  }

  /** The k6 run whose requests are measured. */
  load(run: K6Run): void {
    this.#load = run;
  }

  async start(): Promise<void> {}

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    if (!this.#load) return;
    const writer = ctx.writer;
    const stats = await aggregateRequests(this.#load.pointsFile, 'verb', ['SETUP']);
    writePerSecond(writer, stats, 'http.requests');
    const sloMs: Record<string, number> = {
      GET: 1000,
      CREATE: 1000,
      UPDATE: 1000,
      DELETE: 1000,
      LIST: 30_000,
    };
    let total = 0;
    const totals = new Map<string, number>();
    for (const [verb, h] of stats.latency) {
      writer.distribution(h.toDistribution('api.latency', 'ms', { verb }));
      for (const p of reportedPercentiles.filter((x) => x !== 99.9)) {
        const key = percentileKey(p);
        writer.metric({
          name: `api.latency.${key}`,
          labels: { verb },
          unit: 'ms',
          direction: 'lower',
          value: h.percentile(p),
          slo:
            key === 'p99' && sloMs[verb]
              ? {
                  op: '<=',
                  threshold: sloMs[verb]!,
                  source: `SIG Scalability: ${verb === 'LIST' ? 'LIST' : 'single-object'} API calls p99 <= ${sloMs[verb]! / 1000}s`,
                }
              : undefined,
        });
      }
      for (const [status, n] of stats.statuses.get(verb) ?? []) {
        totals.set(status, (totals.get(status) ?? 0) + n);
        total += n;
      }
    }
    for (const status of ['429', '5xx', '502', '503', '504', 'timeout', 'conn_error', '4xx']) {
      writer.metric({
        name: 'api.responses',
        labels: { status },
        unit: 'count',
        direction: 'lower',
        value: totals.get(status) ?? 0,
      });
    }
    const seconds = this.#params.durationSeconds + this.#params.rampSeconds / 2;
    const achieved = total / seconds;
    writer.metric({ name: 'api.requests_total', unit: 'count', direction: 'none', value: total });
    writer.metric({
      name: 'api.achieved_rate',
      unit: 'per_s',
      direction: 'higher',
      value: achieved,
      description: `target ${this.#params.rate}/s`,
    });
    writer.metric({
      name: 'api.achieved_ratio',
      unit: 'ratio',
      direction: 'higher',
      value: achieved / this.#params.rate,
    });
    writer.metric({
      name: 'api.error_ratio',
      unit: 'ratio',
      direction: 'lower',
      value: total
        ? [...totals].filter(([s]) => s !== '2xx').reduce((a, [, n]) => a + n, 0) / total
        : 0,
    });
  }
}
