import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreV1Api, KubeConfig, V1Pod } from '@kubernetes/client-node';
import { applyManifest } from '../../clusters/kube.ts';
import type { NodeHandle } from '../../clusters/provider.ts';
import type { WorkloadImages } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { waitFor } from '../../harness/util/wait-for.ts';
import { type NodeUnreachableParameters, timeoutsOf } from './parameters.ts';

const manifests = join(import.meta.dirname, 'manifests');
const manifest = (name: string) => readFileSync(join(manifests, name), 'utf8');

export const namespace = 'tuneproof-unreachable';
export const canarySelector = 'app=canary';

const isReady = (p: V1Pod) =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Every node Ready before anything starts: a fault on an unhealthy cluster measures nothing. */
export async function checkNodesReady(
  api: CoreV1Api,
  nodes: readonly NodeHandle[],
  signal: AbortSignal,
): Promise<void> {
  await waitFor('every node Ready', { timeoutMs: 120_000, signal }, async () => {
    const list = await api.listNode();
    for (const n of nodes) {
      const node = list.items.find((i) => i.metadata?.name === n.name);
      const ready = node?.status?.conditions?.find((c) => c.type === 'Ready');
      if (ready?.status !== 'True') return { pending: `${n.name} is not Ready` };
    }
    return true;
  });
}

/** CoreDNS onto the control plane (manifests/coredns-placement.yaml says why). */
export async function pinCoreDns(
  kc: KubeConfig,
  api: CoreV1Api,
  controlPlane: string,
  signal: AbortSignal,
): Promise<void> {
  await log.step(
    'Moving CoreDNS to the control plane',
    'CoreDNS on the control plane',
    async () => {
      await applyManifest(kc, manifest('coredns-placement.yaml'));
      const wait = { timeoutMs: 180_000, signal };
      await waitFor('CoreDNS pods Ready on the control plane only', wait, async () => {
        const pods = (
          await api.listNamespacedPod({
            namespace: 'kube-system',
            labelSelector: 'k8s-app=kube-dns',
          })
        ).items;
        const elsewhere = pods.filter((p) => p.spec?.nodeName !== controlPlane);
        if (elsewhere.length) return { pending: `${elsewhere.length} CoreDNS pods on workers` };
        if (!pods.length || !pods.every(isReady)) return { pending: 'CoreDNS pods not Ready' };
        return true;
      });
    },
  );
}

export async function deployCanary(
  kc: KubeConfig,
  api: CoreV1Api,
  params: NodeUnreachableParameters,
  images: WorkloadImages,
  workers: readonly NodeHandle[],
  signal: AbortSignal,
): Promise<V1Pod[]> {
  const timeouts = timeoutsOf(params);
  const vars = {
    NAMESPACE: namespace,
    REPLICAS: String(params.replicas),
    CANARY_IMAGE: images.canary,
    PROXY_IMAGE: images.proxy,
    NGINX_IMAGE: images.nginx,
    RESOLVE_INTERVAL: String(params.proxyDnsHoldSeconds),
    SERVER_SLOTS: String(Math.max(16, params.replicas * 2)),
    HEALTH_PATH: params.proxyHealthCheck ? '/readyz' : '',
    DNS_HOLD_VALID: `${params.proxyDnsHoldSeconds}s`,
    TIMEOUT_CONNECT: `${timeouts.connect}s`,
    TIMEOUT_SERVER: `${timeouts.server}s`,
    NODE_PORT: String(params.nodePort),
  };
  return log.step(
    `Deploying ${params.replicas} canary pods over ${workers.length} workers behind ${params.proxy}`,
    'Canary and proxy Ready',
    async () => {
      await applyManifest(kc, manifest('canary.yaml'), vars);
      await applyManifest(
        kc,
        manifest(params.proxy === 'nginx' ? 'nginx.yaml' : 'proxy.yaml'),
        vars,
      );
      const wait = { timeoutMs: 180_000, signal };
      await waitFor('the proxy Ready', wait, async () => {
        const pods = (await api.listNamespacedPod({ namespace, labelSelector: 'app=proxy' })).items;
        return pods.some(isReady) ? true : { pending: 'proxy pod not Ready' };
      });
      return waitFor('canary pods Ready on every worker', wait, async () => {
        const pods = (
          await api.listNamespacedPod({ namespace, labelSelector: canarySelector })
        ).items.filter((p) => !p.metadata?.deletionTimestamp);
        const ready = pods.filter(isReady);
        if (ready.length < params.replicas)
          return { pending: `${ready.length}/${params.replicas} canary pods Ready` };
        const empty = workers.filter((w) => !ready.some((p) => p.spec?.nodeName === w.name));
        if (empty.length) return { pending: `no canary pod on ${empty.map((w) => w.name)}` };
        return ready;
      });
    },
  );
}

/**
 * Through the published port until every canary pod has answered 200 (round robin): the proxy
 * has resolved them all, so the warm-up starts from a whole Service.
 */
export async function waitProxyServesAll(
  url: string,
  pods: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  await waitFor(
    `the proxy at ${url} to reach all ${pods.length} canary pods`,
    { timeoutMs: 120_000, signal },
    async () => {
      const seen = new Set<string>();
      for (let i = 0; i < pods.length * 3; i++) {
        const r = await fetch(url, { signal: AbortSignal.timeout(3000) });
        const body = await r.text();
        if (r.status !== 200) return { pending: `HTTP ${r.status}` };
        seen.add(body.trim());
      }
      const missing = pods.filter((p) => !seen.has(p));
      return missing.length ? { pending: `not yet answered by ${missing.join(', ')}` } : true;
    },
  );
}
