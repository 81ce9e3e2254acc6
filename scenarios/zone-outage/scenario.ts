import { setTimeout as sleep } from 'node:timers/promises';
import { core } from '../../clusters/kube.ts';
import type { SimulatedNodes } from '../../clusters/kwok/index.ts';
import { simulatedNodeLabels } from '../../clusters/kwok/index.ts';
import { ConfigError } from '../../harness/errors.ts';
import { WatchSet } from '../../harness/measure/resource-watch.ts';
import { findKnob } from '../../harness/profiles/index.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import type { Undo } from '../../harness/util/cleanup.ts';
import { log } from '../../harness/util/log.ts';
import {
  assembleOutage,
  type OutageTimeline,
  type WatchedObjectChange,
} from './outage-timeline.ts';
import { parameters, presets, zoneSizes } from './parameters.ts';
import { verdicts } from './primary-metrics.ts';
import { deployWorkload, namespace, workloadSelector } from './workload.ts';
import { writeOutage } from './write-outage.ts';
import { parseZoneStates, readControllerManagerLog, type ZoneStateChange } from './zone-state.ts';

type Resource = 'node' | 'pod';

/**
 * "When part of a zone fails, how fast does the control plane evict, and does it hold back as
 * the zone's rate limits say?" M simulated nodes of one zone stop renewing their leases (kwok
 * lets go of them) while a workload has a pod on each; the node controller's reaction from
 * watches with server timestamps, its zone states from its own log.
 */
export const zoneOutage: Scenario<typeof parameters> = {
  name: 'zone-outage',
  question:
    "When part of a zone fails, how fast are its nodes tainted and their pods evicted, and do the zone's eviction rate limits hold?",
  parameters,
  presets,
  requires: ['destructive'],
  workers: (p) => p.workers,
  simulatedNodes: (p) => ({ count: p.simulatedNodes, zones: p.zones }),
  measurements: () => [],
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
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    if (!controlPlane) throw new Error('zone-outage needs a control-plane node');
    const zoneNodes = simulated.nodes.filter((n) => n.zone === params.zone);
    const failed = zoneNodes.slice(0, params.outageNodes).map((n) => n.name);
    const zoneSize = zoneSizes(params.simulatedNodes, params.zones).get(params.zone) ?? 0;

    await deployWorkload(kc, api, {
      zone: params.zone,
      replicas: zoneNodes.length,
      image: ctx.images.canary,
      tolerationSeconds: params.podTolerationSeconds,
    });
    const watches = new WatchSet<Resource>(kc, {
      node: { path: '/api/v1/nodes', labelSelector: `${simulatedNodeLabels.zone}=${params.zone}` },
      pod: { path: `/api/v1/namespaces/${namespace}/pods`, labelSelector: workloadSelector },
    });
    await watches.start();
    const usage0 = simulated.usage();

    const timelineAt = (faultMs: number): OutageTimeline =>
      assembleOutage({ changes: watches.changes as WatchedObjectChange[], failed, faultMs });
    let undo: Undo | undefined;
    let faultMs: number | undefined;
    let healMs: number | undefined;
    let zoneStates: ZoneStateChange[] = [];
    try {
      faultMs = Date.now();
      undo = await simulated.stopHeartbeats(failed);
      writer.event({
        kind: 'fault',
        name: `zone outage: ${failed.length} of ${zoneSize} nodes in ${params.zone}`,
        edge: 'start',
        at: new Date(faultMs),
        detail: { zone: params.zone, nodes: failed, zoneSize },
      });
      const fault0 = faultMs;
      await log.step(
        `Holding the outage of ${failed.length} nodes <= ${params.maxOutageSeconds}s`,
        'Outage window over',
        async () => {
          let reported = -1;
          while (Date.now() - fault0 < params.maxOutageSeconds * 1000) {
            if (ctx.signal.aborted) throw new Error('interrupted');
            const t = timelineAt(fault0);
            const notReady = t.nodes.filter((n) => n.notReadyMs !== undefined).length;
            const evicted = t.pods.filter((p) => p.evictedMs !== undefined).length;
            if (t.taints.length !== reported) {
              reported = t.taints.length;
              log.info(
                `${((Date.now() - fault0) / 1000).toFixed(0)}s: ${notReady}/${failed.length} NotReady, ${t.taints.length} tainted, ${evicted}/${t.pods.length} pods evicted`,
              );
            }
            if (t.taints.length === failed.length && t.pods.every((p) => p.evictedMs !== undefined))
              break;
            await sleep(1000);
          }
        },
      );
      await undo.run();
      healMs = Date.now();
      writer.event({ kind: 'fault', name: 'zone outage', edge: 'end', at: new Date(healMs) });
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
            await sleep(2000);
          }
          log.warn(`the failed nodes had not recovered ${params.recoverySeconds}s after the heal`);
        },
      );
    } finally {
      if (undo && healMs === undefined) {
        await undo.run();
        healMs = Date.now();
        writer.event({ kind: 'fault', name: 'zone outage', edge: 'end', detail: { early: true } });
      }
      watches.stop();
      if (faultMs !== undefined) {
        const controllerLog = await readControllerManagerLog(kc, controlPlane.name, faultMs).catch(
          (e: unknown) => {
            log.warn(`could not read the controller-manager's log: ${(e as Error).message}`);
            return undefined;
          },
        );
        if (controllerLog !== undefined) {
          zoneStates = parseZoneStates(controllerLog);
          writer.artifact('outage/kube-controller-manager.log', controllerLog);
        }
        const usage1 = simulated.usage();
        writeOutage(writer, {
          params,
          profileValue: (key) =>
            ctx.cluster
              .effectiveConfig()
              .find((e) => e.component === 'controllerManager' && e.key === key)?.observed ??
            findKnob('controllerManager', key)?.default,
          timeline: timelineAt(faultMs),
          zoneStates,
          zoneSize,
          faultMs,
          healMs: healMs ?? Date.now(),
          simulator: {
            facts: simulated.facts(),
            cpuSeconds: usage0 && usage1 ? usage1.cpuSeconds - usage0.cpuSeconds : undefined,
            peakRssBytes: usage1?.peakRssBytes,
            windowSeconds: ((healMs ?? Date.now()) - faultMs) / 1000,
          },
        });
      }
    }
  },
};
