import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { applyManifest, core } from '../../clusters/kube.ts';
import { runK6 } from '../../harness/load/k6.ts';
import { aggregateRequests, writePerSecond } from '../../harness/load/k6-aggregate.ts';
import { ApiserverMetrics } from '../../harness/measure/apiserver-metrics.ts';
import { percentileKey, reportedPercentiles } from '../../harness/results/histogram.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const namespace = 'tuneproof-load';

const fraction = z.number().min(0).max(1);
const parameters = z
  .object({
    /** Requests per second over all verbs. */
    rate: z.number().positive().max(5000),
    durationSeconds: z.number().int().min(5).max(3600),
    /** Ramp from 0 to `rate` over this long before the constant phase (0: none). */
    rampSeconds: z.number().int().min(0).max(3600).default(0),
    mix: z.object({
      get: fraction,
      list: fraction,
      create: fraction,
      update: fraction,
      delete: fraction,
    }),
    /** ConfigMaps in the pool that GET, LIST and UPDATE use. */
    objects: z.number().int().min(1).max(5000),
    objectBytes: z
      .number()
      .int()
      .min(0)
      .max(512 * 1024)
      .default(1024),
    timeoutSeconds: z.number().positive().max(120).default(10),
    maxVUs: z.number().int().min(1).max(5000).default(300),
    workers: z.number().int().min(0).max(5).default(1),
  })
  .strict()
  .refine((p) => Math.abs(Object.values(p.mix).reduce((a, b) => a + b, 0) - 1) < 1e-6, {
    message: 'mix fractions must add up to 1',
    path: ['mix'],
  });
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
  workers: (p) => p.workers,
  measurements: () => [new ApiserverMetrics('configmaps')],
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const kc = cluster.kubeConfig();
    const api = core(kc);
    await applyManifest(kc, readFileSync(join(here, 'manifests/load-identity.yaml'), 'utf8'), {
      NAMESPACE: namespace,
    });
    await log.step(
      `Creating ${params.objects} ConfigMaps for the load`,
      'Load objects ready',
      async () => {
        const payload = 'x'.repeat(params.objectBytes);
        for (let i = 0; i < params.objects; i += 25) {
          await Promise.all(
            Array.from({ length: Math.min(25, params.objects - i) }, (_, j) =>
              api.createNamespacedConfigMap({
                namespace,
                body: {
                  metadata: { name: `obj-${i + j}`, labels: { 'dev.tuneproof.pool': 'true' } },
                  data: { payload },
                },
              }),
            ),
          );
        }
      },
    );
    // a short-lived token for the ServiceAccount; it reaches k6 through its environment only
    const token = await api.createNamespacedServiceAccountToken({
      namespace,
      name: 'tuneproof-load',
      body: { spec: { expirationSeconds: 3600 } },
    });
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
        runK6({
          k6: ctx.tools.k6,
          script: join(here, 'k6/apiserver-load.ts'),
          outDir: join(writer.dir, 'k6'),
          env: {
            API_URL: cluster.apiServerUrl,
            NAMESPACE: namespace,
            RATE: String(params.rate),
            DURATION_SECONDS: String(params.durationSeconds),
            RAMP_SECONDS: String(params.rampSeconds),
            OBJECTS: String(params.objects),
            OBJECT_BYTES: String(params.objectBytes),
            TIMEOUT_SECONDS: String(params.timeoutSeconds),
            MIX: JSON.stringify(params.mix),
            MAX_VUS: String(params.maxVUs),
          },
          secretEnv: { TOKEN: token.status?.token ?? '' },
          signal: ctx.signal,
        }),
    );
    writer.event({ kind: 'load', name: 'apiserver load', edge: 'end' });
    const stats = await aggregateRequests(k6.pointsFile, 'verb');
    stats.latency.delete('SETUP');
    stats.statuses.delete('SETUP');
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
