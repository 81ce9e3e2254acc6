import { z } from 'zod';
import { ApiserverMetrics } from '../../harness/measure/apiserver-metrics.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { ApiClientMetrics } from './api-client-metrics.ts';
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
  // gathered in reverse: the apiserver's end scrape right after the load, then the client's
  measurements: (p) => [new ApiClientMetrics(p), new ApiserverMetrics('configmaps')],
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
    ctx.measurement(ApiClientMetrics).load(k6);
  },
};
