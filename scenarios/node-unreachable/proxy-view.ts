import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { getRaw } from '../../clusters/kube.ts';
import { counterDelta, parseScrape, type Scrape } from '../../harness/measure/prometheus.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import { namespace } from './setup.ts';

const backend = { proxy: 'upstreams' };

/**
 * The proxy's side of the run, read through the API server's pod proxy: its Prometheus counters
 * at the start and the end of the load, and its log (server state changes: a pod dropped from
 * DNS, back). The proxy counts every attempt, the client only what reached it: seen here, after
 * a connect timeout on a request that was not the first on a kept-alive client connection,
 * HAProxy 3.0 closes that connection without an answer (logged as a 503 of 0 bytes, `sC--`),
 * and HTTP/1.1 clients (k6's Go client, curl, browsers) then silently resend the GET on a new
 * connection. Such a failure reaches the user as latency, not as an error, so the proxy's 5xx
 * can exceed the client's.
 */
export class ProxyView {
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

  async gather(writer: RunRecorder): Promise<void> {
    const text = await this.#scrape();
    writer.artifact('logs/proxy.metrics', text);
    writer.artifact(
      'logs/proxy.log',
      await this.#api.readNamespacedPodLog({ name: this.#pod ?? '', namespace, timestamps: true }),
    );
    if (!this.#before) return;
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
  }
}
