import { join } from 'node:path';
import { core } from '../../clusters/kube.ts';
import { type FaultWindow, withFault } from '../../harness/faults/index.ts';
import { runK6 } from '../../harness/load/k6.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { faultOf, parameters, presets, timeoutsOf } from './parameters.ts';
import { verdicts } from './primary-metrics.ts';
import { checkNodesReady, deployCanary, pinCoreDns, waitProxyServesAll } from './setup.ts';
import type { Milestone, UnreachableTimeline } from './timeline.ts';
import { UnreachableReaction } from './unreachable-reaction.ts';

const here = import.meta.dirname;

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
  measurements: (p) => [new UnreachableReaction(p)],
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
      cluster.loadImages([
        ctx.images.canary,
        params.proxy === 'nginx' ? ctx.images.nginx : ctx.images.proxy,
      ]),
    ]);
    const pods = await deployCanary(kc, api, params, ctx.images, workers, ctx.signal);
    const onTarget = pods.filter((p) => p.spec?.nodeName === target.name).length;
    await waitProxyServesAll(
      url,
      pods.map((p) => p.metadata?.name ?? ''),
      ctx.signal,
    );

    const reaction = ctx.measurement(UnreachableReaction);
    await reaction.watch(kc, api, target.name);

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
        TIMEOUT_SECONDS: String(timeoutsOf(params).request),
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

    const timelineAt = (faultMs: number, healMs?: number) => reaction.timelineAt(faultMs, healMs);
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
          reaction.fault(w);
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
      reaction.load(
        await load.catch((e: unknown) => {
          log.warn(`client load failed: ${(e as Error).message}`);
          return undefined;
        }),
      );
      writer.event({ kind: 'load', name: 'client', edge: 'end' });
    }
  },
};
