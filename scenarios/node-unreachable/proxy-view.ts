import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { getRaw } from '../../clusters/kube.ts';
import { counterDelta, parseScrape, type Scrape } from '../../harness/measure/prometheus.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import { type ProxyRequest, parseNginxLog } from './nginx-log.ts';
import { namespace } from './setup.ts';

/** The proxy's side of the run: started once set-up is done, gathered after the load. */
export interface ProxyView {
  start(): Promise<void>;
  /** Keeps the proxy's log; returns its requests one by one where the proxy logs them. */
  gather(writer: RunRecorder): Promise<ProxyRequest[] | undefined>;
}

async function proxyPod(api: CoreV1Api): Promise<string> {
  const pods = await api.listNamespacedPod({ namespace, labelSelector: 'app=proxy' });
  const name = pods.items[0]?.metadata?.name;
  if (!name) throw new Error(`no proxy pod in ${namespace}`);
  return name;
}

/**
 * nginx's side: its access log, one JSON object per request (status, each upstream try's
 * address, status and connect time), read through the API server at the end, plus the
 * entrypoint's resolver lines (when the upstream set changed). The kubelet rotates a container's
 * log at 10 MiB (containerLogMaxSize): about 40000 requests, more than smoke and standard make.
 */
export class NginxView implements ProxyView {
  readonly #api: CoreV1Api;
  #pod: string | undefined;

  constructor(api: CoreV1Api) {
    this.#api = api;
  }

  async start(): Promise<void> {
    this.#pod = await proxyPod(this.#api);
  }

  async gather(writer: RunRecorder): Promise<ProxyRequest[]> {
    const pod = this.#pod ?? (await proxyPod(this.#api));
    const text = await this.#api.readNamespacedPodLog({ name: pod, namespace });
    writer.artifact('logs/proxy.log', text);
    return parseNginxLog(text);
  }
}

const backend = { proxy: 'upstreams' };

/**
 * HAProxy's side of the run, read through the API server's pod proxy: its Prometheus counters
 * at the start and the end of the load, and its log (server state changes: a pod dropped from
 * DNS, back). The proxy counts every attempt, the client only what reached it: seen here, after
 * a connect timeout on a request that was not the first on a kept-alive client connection,
 * HAProxy 3.0 closes that connection without an answer (logged as a 503 of 0 bytes, `sC--`),
 * and HTTP/1.1 clients (k6's Go client, curl, browsers) then silently resend the GET on a new
 * connection. Such a failure reaches the user as latency, not as an error, so the proxy's 5xx
 * can exceed the client's.
 */
export class HaproxyView implements ProxyView {
  readonly #kc: KubeConfig;
  readonly #api: CoreV1Api;
  #pod: string | undefined;
  #before: Scrape | undefined;

  constructor(kc: KubeConfig, api: CoreV1Api) {
    this.#kc = kc;
    this.#api = api;
  }

  async #scrape(): Promise<string> {
    if (!this.#pod) {
      const pods = await this.#api.listNamespacedPod({ namespace, labelSelector: 'app=proxy' });
      this.#pod = pods.items[0]?.metadata?.name;
    }
    return getRaw(this.#kc, `/api/v1/namespaces/${namespace}/pods/${this.#pod}:8404/proxy/metrics`);
  }

  async start(): Promise<void> {
    this.#before = parseScrape(await this.#scrape());
  }

  async gather(writer: RunRecorder): Promise<undefined> {
    const text = await this.#scrape();
    writer.artifact('logs/proxy.metrics', text);
    writer.artifact(
      'logs/proxy.log',
      await this.#api.readNamespacedPodLog({ name: this.#pod ?? '', namespace, timestamps: true }),
    );
    if (!this.#before) return undefined;
    const after = parseScrape(text);
    const delta = (name: string, filter: Record<string, string> = {}) =>
      counterDelta(this.#before!, after, name, undefined, { ...backend, ...filter }).get('') ?? 0;
    writer.metric({
      name: 'proxy.requests',
      unit: 'count',
      direction: 'none',
      value: delta('haproxy_backend_http_requests_total'),
      description: 'requests the proxy sent upstream, client retries included',
    });
    writer.metric({
      name: 'proxy.responses',
      labels: { status: '5xx' },
      unit: 'count',
      direction: 'lower',
      value: delta('haproxy_backend_http_responses_total', { code: '5xx' }),
      description: "5xx the proxy produced, also those a client's silent retry hid",
    });
    writer.metric({
      name: 'proxy.connection_errors',
      unit: 'count',
      direction: 'lower',
      value: delta('haproxy_backend_connection_errors_total'),
      description: 'failed connections from the proxy to canary pods',
    });
    return undefined;
  }
}
