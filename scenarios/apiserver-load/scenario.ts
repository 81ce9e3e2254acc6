import { z } from 'zod';
import { aggregateRequests, writePerSecond } from '../../harness/load/k6-aggregate.ts';
import { ApiserverMetrics } from '../../harness/measure/apiserver-metrics.ts';
import { percentileKey, reportedPercentiles } from '../../harness/measure/histogram.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { ApiLoad, driveApiLoad, prepareApiLoad } from './load.ts';
import { verdicts } from './primary-metrics.ts';

const parameters = ApiLoad.extend({
  workers: z.number().int().min(0).max(5).default(1),
}).strict();
export type ApiserverLoadParameters = z.infer<typeof parameters>;

const mix = { get: 0.5, list: 0.1, create: 0.15, update: 0.15, delete: 0.1 };

/**
 * "How does the API serve a given request mix and rate?" k6 drives an open-model load of
 * GET/LIST/CREATE/UPDATE/DELETE on ConfigMaps as a ServiceAccount; client percentiles per verb
 * and status counts come from every request k6 made, server-side numbers from /metrics deltas.
 */
export const apiserverLoad: Scenario<typeof parameters> = {
  name: 'apiserver-load',
  question: 'How does the API serve a given request mix and rate?',
  parameters,
  presets: {
    smoke: { rate: 60, durationSeconds: 30, mix, objects: 50, workers: 1 },
    standard: { rate: 300, durationSeconds: 180, rampSeconds: 30, mix, objects: 300, workers: 1 },
  },
  requires: [],
  verdicts,
  workers: (p) => p.workers,
  measurements: () => [new ApiserverMetrics('configmaps')],
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const token = await prepareApiLoad(cluster, params);
    writer.event({
      kind: 'load',
      name: 'apiserver load',
      edge: 'start',
      detail: { rate: params.rate, mix: params.mix },
    });
    const k6 = await log.step(
      `Driving ${params.rate} requests/s for ${params.rampSeconds ? `${params.rampSeconds}s ramp + ` : ''}${params.durationSeconds}s`,
      'Load finished',
      () =>
        driveApiLoad({
          k6: ctx.tools.k6,
          cluster,
          writer,
          load: params,
          token,
          signal: ctx.signal,
        }),
    );
    writer.event({ kind: 'load', name: 'apiserver load', edge: 'end' });
    const stats = await aggregateRequests(k6.pointsFile, 'verb', ['SETUP']);
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
    const seconds = params.durationSeconds + params.rampSeconds / 2;
    const achieved = total / seconds;
    writer.metric({ name: 'api.requests_total', unit: 'count', direction: 'none', value: total });
    writer.metric({
      name: 'api.achieved_rate',
      unit: 'per_s',
      direction: 'higher',
      value: achieved,
      description: `target ${params.rate}/s`,
    });
    writer.metric({
      name: 'api.achieved_ratio',
      unit: 'ratio',
      direction: 'higher',
      value: achieved / params.rate,
    });
    writer.metric({
      name: 'api.error_ratio',
      unit: 'ratio',
      direction: 'lower',
      value: total
        ? [...totals].filter(([s]) => s !== '2xx').reduce((a, [, n]) => a + n, 0) / total
        : 0,
    });
  },
};
