import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { applyManifest, core } from '../../clusters/kube.ts';
import type { Cluster } from '../../clusters/provider.ts';
import { type K6Run, runK6 } from '../../harness/load/k6.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import { log } from '../../harness/util/log.ts';

/**
 * The API load that apiserver-load measures and etcd-disk-stall keeps running during its fault:
 * one open-model arrival-rate k6 scenario per verb on ConfigMaps, as a ServiceAccount (so the
 * requests take the same authn/authz/APF path as an in-cluster client's).
 */
const here = fileURLToPath(new URL('.', import.meta.url));
export const loadNamespace = 'tuneproof-load';

const fraction = z.number().min(0).max(1);
export const ApiLoad = z.object({
  /** Requests per second over all verbs. */
  rate: z.number().positive().max(5000),
  durationSeconds: z.number().int().min(5).max(3600),
  /** Ramp from 0 to `rate` over this long before the constant phase (0: none). */
  rampSeconds: z.number().int().min(0).max(3600).default(0),
  mix: z
    .object({ get: fraction, list: fraction, create: fraction, update: fraction, delete: fraction })
    .refine((m) => Math.abs(Object.values(m).reduce((a, b) => a + b, 0) - 1) < 1e-6, {
      message: 'mix fractions must add up to 1',
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
});
export type ApiLoad = z.infer<typeof ApiLoad>;

/** Namespace, ServiceAccount with RBAC, the object pool; returns a short-lived token. */
export async function prepareApiLoad(cluster: Cluster, load: ApiLoad): Promise<string> {
  const kc = cluster.kubeConfig();
  const api = core(kc);
  await applyManifest(kc, readFileSync(join(here, 'manifests/load-identity.yaml'), 'utf8'), {
    NAMESPACE: loadNamespace,
  });
  // a cluster kept between runs (the existing provider) still holds an earlier run's objects: a
  // pool object would be refused and the k6 script's creates would collide with its names
  for (const labelSelector of ['dev.tuneproof.pool', 'dev.tuneproof.load'])
    await api.deleteCollectionNamespacedConfigMap({ namespace: loadNamespace, labelSelector });
  await log.step(
    `Creating ${load.objects} ConfigMaps for the load`,
    'Load objects ready',
    async () => {
      const payload = 'x'.repeat(load.objectBytes);
      for (let i = 0; i < load.objects; i += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, load.objects - i) }, (_, j) =>
            api.createNamespacedConfigMap({
              namespace: loadNamespace,
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
  const token = await api.createNamespacedServiceAccountToken({
    namespace: loadNamespace,
    name: 'tuneproof-load',
    body: { spec: { expirationSeconds: 3600 } },
  });
  const value = token.status?.token;
  if (!value) throw new Error('the apiserver returned no ServiceAccount token');
  return value;
}

/** Runs the k6 load; the token reaches k6 through its environment only. */
export function driveApiLoad(opts: {
  k6: string;
  cluster: Cluster;
  writer: RunRecorder;
  load: ApiLoad;
  token: string;
  signal?: AbortSignal;
}): Promise<K6Run> {
  const { load } = opts;
  return runK6({
    k6: opts.k6,
    script: join(here, 'k6/apiserver-load.ts'),
    outDir: join(opts.writer.dir, 'k6'),
    env: {
      API_URL: opts.cluster.apiServerUrl,
      NAMESPACE: loadNamespace,
      RATE: String(load.rate),
      DURATION_SECONDS: String(load.durationSeconds),
      RAMP_SECONDS: String(load.rampSeconds),
      OBJECTS: String(load.objects),
      OBJECT_BYTES: String(load.objectBytes),
      TIMEOUT_SECONDS: String(load.timeoutSeconds),
      MIX: JSON.stringify(load.mix),
      MAX_VUS: String(load.maxVUs),
    },
    secretEnv: { TOKEN: opts.token },
    signal: opts.signal,
  });
}
