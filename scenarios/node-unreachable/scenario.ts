import { join } from 'node:path';
import { core } from '../../clusters/kube.ts';
import { type FaultWindow, withFault } from '../../harness/faults/index.ts';
import { type K6Run, readK6Points, runK6 } from '../../harness/load/k6.ts';
import { statusClass } from '../../harness/load/k6-aggregate.ts';
import { WatchSet } from '../../harness/measure/resource-watch.ts';
import type { RunWriter } from '../../harness/results/run-writer.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { type ClientRequest, errorCount, summariseClient } from './client-windows.ts';
import { faultOf, type NodeUnreachableParameters, parameters, presets } from './parameters.ts';
import { verdicts } from './primary-metrics.ts';
import { ProxyView } from './proxy-view.ts';
import {
  canarySelector,
  checkNodesReady,
  deployCanary,
  namespace,
  pinCoreDns,
  waitProxyServesAll,
} from './setup.ts';
import {
  assembleTimeline,
  type Change,
  type Milestone,
  type UnreachableTimeline,
  type WatchedResource,
} from './timeline.ts';
import { writeClient, writeTimeline } from './write-results.ts';

const here = import.meta.dirname;

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

/**
 * "What do users see, and how fast does the cluster react, when a node drops off?" A canary
 * spread over the workers behind an L7 proxy on the control plane, a constant-rate client
 * through 127.0.0.1, one worker cut off; the cluster's reaction from watches with server
 * timestamps, the client's from every request it made.
 */
export const nodeUnreachable: Scenario<typeof parameters> = {
  name: 'node-unreachable',
  question: 'What do users see, and how fast does the cluster react, when a node drops off?',
  parameters,
  presets,
  requires: ['multiNode', 'destructive'],
  faults: (p) => [faultOf[p.fault]],
  verdicts,
  publishPorts: (p) => [p.nodePort],
  workers: (p) => p.workers,
  measurements: () => [],
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const kc = cluster.kubeConfig();
    const api = core(kc);
    const workers = cluster.nodes.filter((n) => n.role === 'worker');
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    const target = workers[params.faultWorker - 1];
    const hostPort = cluster.hostPort(params.nodePort);
    if (!controlPlane || !target || workers.length < 2 || hostPort === undefined)
      throw new Error(
        `node-unreachable needs a control plane, >= 2 workers and port ${params.nodePort} published; got ${workers.length} workers, port ${hostPort ?? 'unpublished'}`,
      );
    const url = `http://127.0.0.1:${hostPort}/hostname`;

    await checkNodesReady(api, cluster.nodes, ctx.signal);
    await Promise.all([
      pinCoreDns(kc, api, controlPlane.name, ctx.signal),
      cluster.loadImages([ctx.images.canary, ctx.images.proxy]),
    ]);
    const pods = await deployCanary(kc, api, params, ctx.images, workers, ctx.signal);
    const onTarget = pods.filter((p) => p.spec?.nodeName === target.name).length;
    await waitProxyServesAll(
      url,
      pods.map((p) => p.metadata?.name ?? ''),
      ctx.signal,
    );

    const watches = new WatchSet<WatchedResource>(kc, {
      node: { path: '/api/v1/nodes' },
      lease: { path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases' },
      pod: { path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: canarySelector },
      endpointslice: {
        path: `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
        labelSelector: 'kubernetes.io/service-name=canary',
      },
      event: { path: `/api/v1/namespaces/${namespace}/events` },
    });
    const proxy = new ProxyView(kc, api);
    await proxy.start();
    await watches.start();

    const stopLoad = new AbortController();
    const loadSeconds =
      params.warmupSeconds +
      params.maxFaultSeconds +
      params.recoverySeconds +
      params.afterSeconds +
      30;
    let loadEnded = false;
    const load = runK6({
      k6: ctx.tools.k6,
      script: join(here, 'k6/node-unreachable.ts'),
      outDir: join(writer.dir, 'k6'),
      env: {
        TARGET_URL: url,
        RATE: String(params.rate),
        DURATION_SECONDS: String(loadSeconds),
        TIMEOUT_SECONDS: String(params.requestTimeoutSeconds),
        MAX_VUS: String(params.maxVUs),
        KEEP_ALIVE: String(params.clientKeepAlive),
      },
      signal: AbortSignal.any([ctx.signal, stopLoad.signal]),
    }).finally(() => {
      loadEnded = true;
    });
    load.catch(() => {}); // awaited below; an early failure is noticed by the waits
    /** Waits `ms`, but stops early (throwing) if the load died or the run was interrupted. */
    const wait = async (ms: number) => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        if (loadEnded && !stopLoad.signal.aborted) await load; // throws k6's failure
        if (loadEnded) throw new Error('the client load ended before the scenario did');
        await sleep(Math.min(250, end - Date.now()), ctx.signal);
      }
    };

    const timelineAt = (faultMs: number, healMs?: number): UnreachableTimeline =>
      assembleTimeline({
        changes: watches.changes as Change[],
        node: target.name,
        podSelector: canarySelector,
        replicas: params.replicas,
        faultMs,
        healMs,
      });
    const seen = new Set<string>();
    const logNew = (t: UnreachableTimeline, fromMs: number) => {
      for (const m of t.milestones.filter((x: Milestone) => !seen.has(x.name))) {
        seen.add(m.name);
        if (m.atMs >= fromMs - 1000)
          log.info(
            `${target.name}: ${m.name} ${((m.atMs - fromMs) / 1000).toFixed(1)}s after the fault`,
          );
      }
    };

    let window: FaultWindow | undefined;
    let k6: K6Run | undefined;
    try {
      writer.event({
        kind: 'load',
        name: 'client',
        edge: 'start',
        detail: { rate: params.rate, url },
      });
      writer.event({ kind: 'phase', name: 'warm-up', edge: 'start' });
      await log.step(
        `Warming up for ${params.warmupSeconds}s at ${params.rate} requests/s`,
        'Warm-up done',
        () => wait(params.warmupSeconds * 1000),
      );
      writer.event({ kind: 'phase', name: 'warm-up', edge: 'end' });

      // healed by withFault when the hold ends, or fails
      await withFault(
        {
          timeline: writer,
          fault: faultOf[params.fault],
          target: { cluster, node: target },
          detail: { variant: params.fault, podsOnNode: onTarget },
        },
        (w) => {
          window = w;
          const fault0 = w.startMs;
          return log.step(
            `Holding the fault <= ${params.maxFaultSeconds}s${params.heal === 'replacements-ready' ? ' (healed once replacements are Ready)' : ''}`,
            'Fault window over',
            async () => {
              let readyAt: number | undefined;
              while (Date.now() - fault0 < params.maxFaultSeconds * 1000) {
                const t = timelineAt(fault0);
                logNew(t, fault0);
                if (
                  params.heal === 'replacements-ready' &&
                  readyAt === undefined &&
                  t.milestones.some((m) => m.name === 'replacements ready')
                )
                  readyAt = Date.now();
                if (readyAt !== undefined && Date.now() - readyAt >= params.holdSeconds * 1000)
                  break;
                await wait(1000);
              }
            },
          );
        },
      );
      const fault0 = window!.startMs;
      const heal0 = window!.endMs!;
      await log.step(
        `Waiting <= ${params.recoverySeconds}s for ${target.name} Ready and the Service whole`,
        'Recovered',
        async () => {
          while (Date.now() - heal0 < params.recoverySeconds * 1000) {
            const t = timelineAt(fault0, heal0);
            logNew(t, fault0);
            const has = (n: string) => t.milestones.some((m) => m.name === n);
            if (has('node ready again') && (!has('endpoints dropped') || has('endpoints restored')))
              return;
            await wait(1000);
          }
          log.warn(`${target.name} had not recovered ${params.recoverySeconds}s after the heal`);
        },
      );
      await log.step(`Steady load for ${params.afterSeconds}s after recovery`, 'Load done', () =>
        wait(params.afterSeconds * 1000),
      );
    } finally {
      stopLoad.abort();
      k6 = await load.catch((e: unknown) => {
        log.warn(`client load failed: ${(e as Error).message}`);
        return undefined;
      });
      watches.stop();
      writer.event({ kind: 'load', name: 'client', edge: 'end' });
      await proxy
        .gather(writer)
        .catch((e: unknown) =>
          log.warn(`could not keep the proxy's log and metrics: ${(e as Error).message}`),
        );
      writer.artifact(
        'watch/changes.ndjson',
        watches.changes.map((c) => JSON.stringify({ ...c, object: slim(c.object) })).join('\n'),
      );
      // what was measured is kept, also when the scenario failed after the fault
      if (window)
        writeResults(writer, params, {
          timeline: timelineAt(window.startMs, window.endMs),
          requests: k6 ? await readClientRequests(k6) : [],
          node: target.name,
          faultMs: window.startMs,
          healMs: window.endMs,
        });
    }
  },
};

function writeResults(
  writer: RunWriter,
  params: NodeUnreachableParameters,
  r: {
    timeline: UnreachableTimeline;
    requests: ClientRequest[];
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
    `${r.node}: ${timeline.evicted.length}/${timeline.podsOnNode.length} pods evicted; client errors during the fault ${errorCount(client.counts.fault)}, after the heal ${errorCount(client.counts.after)} (${params.rate}/s)`,
  );
}
