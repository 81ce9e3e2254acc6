import { core } from '../../clusters/kube.ts';
import type { SimulatedNodes } from '../../clusters/kwok/index.ts';
import { simulatedNodeLabels } from '../../clusters/kwok/index.ts';
import { ConfigError } from '../../harness/errors.ts';
import { stopSimulatedHeartbeats, withFault } from '../../harness/faults/index.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { OutageMeasurement } from './outage-measurement.ts';
import { parameters, presets, zoneSizes } from './parameters.ts';
import { verdicts } from './primary-metrics.ts';
import { deployWorkload } from './workload.ts';

/**
 * "When part of a zone fails, how fast does the control plane evict, and does it hold back as
 * the zone's rate limits say?" M simulated nodes of one zone stop renewing their leases (the
 * stop-simulated-heartbeats fault: kwok lets go of them) while a workload has a pod on each;
 * OutageMeasurement records the node controller's reaction from watches with server timestamps
 * and its zone states from its own log.
 */
export const zoneOutage: Scenario<typeof parameters> = {
  name: 'zone-outage',
  question:
    "When part of a zone fails, how fast are its nodes tainted and their pods evicted, and do the zone's eviction rate limits hold?",
  parameters,
  presets,
  requires: ['destructive'],
  faults: () => [stopSimulatedHeartbeats],
  workers: (p) => p.workers,
  simulatedNodes: (p) => ({ count: p.simulatedNodes, zones: p.zones }),
  measurements: () => [new OutageMeasurement()],
  verdicts,
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const simulated: SimulatedNodes | undefined = cluster.simulatedNodes;
    if (!simulated)
      throw new ConfigError('scenario zone-outage', [
        {
          path: 'provider',
          message: `zone-outage needs simulated nodes, which provider ${cluster.provider} does not offer`,
          severity: 'error',
        },
      ]);
    const kc = cluster.kubeConfig();
    const api = core(kc);
    // the fault acts through the apiserver (the nodes' heartbeat label)
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    if (!controlPlane) throw new Error('zone-outage needs a control-plane node');
    const zoneNodes = simulated.nodes.filter((n) => n.zone === params.zone);
    const failed = zoneNodes.slice(0, params.outageNodes).map((n) => n.name);
    const zoneSize = zoneSizes(params.simulatedNodes, params.zones).get(params.zone) ?? 0;
    const outage = ctx.measurement(OutageMeasurement);

    await deployWorkload(kc, api, {
      zone: params.zone,
      replicas: zoneNodes.length,
      image: ctx.images.canary,
      tolerationSeconds: params.podTolerationSeconds,
    });
    await ctx.phase('during');
    let healMs: number | undefined;
    await withFault(
      {
        timeline: writer,
        fault: stopSimulatedHeartbeats,
        target: { cluster, node: controlPlane },
        params: { nodes: failed },
        detail: { zone: params.zone, zoneSize, of: `${failed.length} of ${zoneSize}` },
      },
      async (window) => {
        outage.faultStarted({ failed, zoneSize, faultMs: window.startMs }, simulated.usage());
        await log.step(
          `Holding the outage of ${failed.length} nodes <= ${params.maxOutageSeconds}s`,
          'Outage window over',
          async () => {
            let reported = -1;
            while (Date.now() - window.startMs < params.maxOutageSeconds * 1000) {
              if (ctx.signal.aborted) throw new Error('interrupted');
              const t = outage.timeline();
              const notReady = t.nodes.filter((n) => n.notReadyMs !== undefined).length;
              const evicted = t.pods.filter((p) => p.evictedMs !== undefined).length;
              if (t.taints.length !== reported) {
                reported = t.taints.length;
                log.info(
                  `${((Date.now() - window.startMs) / 1000).toFixed(0)}s: ${notReady}/${failed.length} NotReady, ${t.taints.length} tainted, ${evicted}/${t.pods.length} pods evicted`,
                );
              }
              if (
                t.taints.length === failed.length &&
                t.pods.every((p) => p.evictedMs !== undefined)
              )
                break;
              await sleep(1000, ctx.signal);
            }
          },
        );
      },
    ).finally(() => {
      healMs = Date.now();
      outage.healed(healMs);
    });
    await ctx.phase('after');
    await log.step(
      `Waiting <= ${params.recoverySeconds}s for the ${failed.length} nodes Ready and untainted`,
      'Recovered',
      async () => {
        const heal0 = healMs ?? Date.now();
        while (Date.now() - heal0 < params.recoverySeconds * 1000) {
          const nodes = (
            await api.listNode({ labelSelector: `${simulatedNodeLabels.zone}=${params.zone}` })
          ).items.filter((n) => failed.includes(n.metadata?.name ?? ''));
          const healthy = nodes.filter(
            (n) =>
              n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
              !(n.spec?.taints ?? []).some((x) => x.effect === 'NoExecute'),
          );
          if (healthy.length === failed.length) return;
          await sleep(2000, ctx.signal);
        }
        log.warn(`the failed nodes had not recovered ${params.recoverySeconds}s after the heal`);
      },
    );
  },
};
