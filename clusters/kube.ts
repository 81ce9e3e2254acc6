import { type RequestOptions, request } from 'node:https';
import {
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  loadAllYaml,
  PatchStrategy,
} from '@kubernetes/client-node';
import { TuneproofError } from '../harness/errors.ts';

/** kubeadm's admin.conf with the server rewritten to the address published on the host. */
export function kubeConfigFromAdminConf(adminConf: string, server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromString(adminConf.replace(/server: https:\/\/[^\s]+/g, `server: ${server}`));
  return kc;
}

/** GET a raw API path (e.g. a node's /configz through the apiserver proxy). */
export async function getRaw(kc: KubeConfig, path: string, timeoutMs = 15_000): Promise<string> {
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new TuneproofError('kubeconfig has no current cluster');
  const url = new URL(path, server);
  const opts: RequestOptions = {
    method: 'GET',
    hostname: url.hostname,
    port: url.port,
    path: url.pathname + url.search,
    timeout: timeoutMs,
  };
  await kc.applyToHTTPSOptions(opts as never);
  return new Promise((resolve, reject) => {
    const req = request(opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300)
          reject(new TuneproofError(`GET ${path}: HTTP ${res.statusCode}: ${body.slice(0, 300)}`));
        else resolve(body);
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export function core(kc: KubeConfig): CoreV1Api {
  return kc.makeApiClient(CoreV1Api);
}

/**
 * Applies a multi-document YAML manifest (server-side apply), after replacing `${NAME}` with
 * `vars[NAME]`. Manifests live beside the scenarios that use them (scenarios/<name>/manifests).
 */
export async function applyManifest(
  kc: KubeConfig,
  text: string,
  vars: Record<string, string> = {},
): Promise<KubernetesObject[]> {
  const rendered = text.replace(/\$\{([A-Z0-9_]+)\}/g, (m, name: string) => vars[name] ?? m);
  const client = KubernetesObjectApi.makeApiClient(kc);
  const out: KubernetesObject[] = [];
  for (const doc of loadAllYaml(rendered) as KubernetesObject[]) {
    if (!doc?.kind) continue;
    out.push(
      await client.patch(
        doc,
        undefined,
        undefined,
        'tuneproof',
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
  }
  return out;
}
