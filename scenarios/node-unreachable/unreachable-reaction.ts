import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import type { FaultWindow } from '../../harness/faults/index.ts';
import { type K6Run, readK6Points } from '../../harness/load/k6.ts';
import { statusClass } from '../../harness/load/k6-aggregate.ts';
import { WatchSet } from '../../harness/measure/resource-watch.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { type ClientRequest, errorCount, summariseClient } from './client-windows.ts';
import type { ProxyRequest } from './nginx-log.ts';
import type { NodeUnreachableParameters } from './parameters.ts';
import { HaproxyView, NginxView, type ProxyView } from './proxy-view.ts';
import { canarySelector, namespace } from './setup.ts';
import {
  assembleTimeline,
  type Change,
  type UnreachableTimeline,
  type WatchedResource,
} from './timeline.ts';
import { writeClient, writeProxy, writeTimeline } from './write-results.ts';

/**
 * The cluster's and the client's reaction to the faulted node: watches (nodes, leases, canary
 * pods, EndpointSlices, events) with server timestamps and the proxy's counters from `watch`
 * (called once set-up is done: the deploy is not part of the reaction), the fault window and
 * the client load's requests as the scenario hands them over; all of it written at gather,
 * also when the scenario failed after the fault.
 */
export class UnreachableReaction implements Measurement {
  readonly name = 'unreachable-reaction';
  readonly #params: NodeUnreachableParameters;
  #watches: WatchSet<WatchedResource> | undefined;
  #proxy: ProxyView | undefined;
  #node: string | undefined;
  #window: FaultWindow | undefined;
  #load: K6Run | undefined;

  constructor(params: NodeUnreachableParameters) {
    this.#params = params;
  }

  async start(): Promise<void> {}

  /** Starts watching the cluster's reaction around `node`. */
  async watch(kc: KubeConfig, api: CoreV1Api, node: string): Promise<void> {
    this.#node = node;
    this.#watches = new WatchSet<WatchedResource>(kc, {
      node: { path: '/api/v1/nodes' },
      lease: { path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases' },
      pod: { path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: canarySelector },
      endpointslice: {
        path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
        labelSelector: 'kubernetes.io/service-name=canary',
      },
      event: { path: `/api/v1/namespaces/${namespace}/events` },
    });
    this.#proxy = this.#params.proxy === 'nginx' ? new NginxView(api) : new HaproxyView(kc, api);
    await this.#proxy.start();
    await this.#watches.start();
  }

  /** The reaction seen so far, relative to a fault at `faultMs` (healed at `healMs`). */
  timelineAt(faultMs: number, healMs?: number): UnreachableTimeline {
    return assembleTimeline({
      changes: (this.#watches?.changes ?? []) as Change[],
      node: this.#node ?? '',
      podSelector: canarySelector,
      replicas: this.#params.replicas,
      faultMs,
      healMs,
    });
  }

  /** The fault window (closed by the time of gather, whatever happened). */
  fault(window: FaultWindow): void {
    this.#window = window;
  }

  /** The client load's output; undefined when it failed. */
  load(run: K6Run | undefined): void {
    this.#load = run;
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    const { writer } = ctx;
    if (!this.#watches) return;
    this.#watches.stop();
    const proxyRequests = await this.#proxy?.gather(writer).catch((e: unknown) => {
      log.warn(`could not keep the proxy's log and metrics: ${(e as Error).message}`);
      return undefined;
    });
    writer.artifact(
      'watch/changes.ndjson',
      this.#watches.changes.map((c) => JSON.stringify({ ...c, object: slim(c.object) })).join('\n'),
    );
    const window = this.#window;
    if (!window) return;
    writeResults(writer, this.#params, {
      timeline: this.timelineAt(window.startMs, window.endMs),
      requests: this.#load ? await readClientRequests(this.#load) : [],
      proxyRequests: proxyRequests?.filter((r) => r.phase === 'load'),
      node: this.#node ?? '',
      faultMs: window.startMs,
      healMs: window.endMs,
    });
  }
}

/** What the timeline keeps of a watched object: no managed fields, no node image lists. */
function slim(object: Record<string, unknown>): Record<string, unknown> {
  const { metadata, status, ...rest } = object as {
    metadata?: Record<string, unknown>;
    status?: Record<string, unknown>;
  };
  const { managedFields: _m, ...meta } = metadata ?? {};
  const out: Record<string, unknown> = { ...rest, metadata: meta };
  if (status) {
    const { images: _i, ...st } = status;
    out.status = st;
  }
  return out;
}

/** Every request of the load phase from k6's points, at the time it was sent. */
async function readClientRequests(run: K6Run): Promise<ClientRequest[]> {
  const out: ClientRequest[] = [];
  for await (const p of readK6Points(run.pointsFile, new Set(['http_req_duration']))) {
    if (p.tags.phase !== 'load') continue;
    out.push({
      startMs: p.timeMs - p.value,
      status: statusClass(p.tags.status, p.tags.error_code),
      durationMs: p.value,
    });
  }
  return out;
}

function writeResults(
  writer: RunRecorder,
  params: NodeUnreachableParameters,
  r: {
    timeline: UnreachableTimeline;
    requests: ClientRequest[];
    /** The proxy's own view of the load's requests, where it logs them (nginx). */
    proxyRequests: ProxyRequest[] | undefined;
    node: string;
    faultMs: number;
    healMs: number | undefined;
  },
): void {
  const { timeline } = r;
  const faultSeconds = ((r.healMs ?? Date.now()) - r.faultMs) / 1000;
  writer.metric({
    name: 'unreachable.fault_seconds',
    unit: 's',
    direction: 'none',
    value: faultSeconds,
  });
  writeTimeline(writer, timeline, r);
  if (timeline.evicted.length === 0)
    writer.event({
      kind: 'note',
      name: 'no eviction within the fault window',
      at: new Date(r.faultMs + faultSeconds * 1000),
      detail: {
        node: r.node,
        faultSeconds,
        hint: 'pods tolerate an unreachable node for default-unreachable-toleration-seconds after the taint',
      },
    });
  if (!timeline.milestones.some((m) => m.name === 'node not ready'))
    writer.event({
      kind: 'note',
      name: 'node never went NotReady within the fault window',
      detail: { node: r.node, faultSeconds },
    });

  const client = summariseClient(r.requests, r);
  writeClient(writer, r.requests, client, r);
  if (r.proxyRequests) writeProxy(writer, r.proxyRequests, r);
  const warmupErrors = errorCount(client.counts.warmup);
  if (r.requests.length === 0) writer.markInvalid('the client recorded no requests');
  else if (warmupErrors > 0)
    writer.markInvalid(
      `the client saw ${warmupErrors} errors before the fault: the baseline was not healthy`,
    );
  if (client.lastErrorMs !== undefined && client.recoveredMs === undefined)
    writer.event({
      kind: 'note',
      name: 'client still failing at the end of the run',
      at: new Date(client.lastErrorMs),
    });
  log.info(
    `${r.node}: ${timeline.evicted.length}/${timeline.podsOnNode.length} pods evicted; client errors during the fault ${errorCount(client.counts.fault)}, after the heal ${errorCount(client.counts.after)} (${params.rate}/s, ${params.proxy})`,
  );
}
