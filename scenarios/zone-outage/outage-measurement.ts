import type { SimulatorUsage } from '../../clusters/kwok/index.ts';
import { simulatedNodeLabels } from '../../clusters/kwok/index.ts';
import { WatchSet } from '../../harness/measure/resource-watch.ts';
import { findKnob } from '../../harness/profiles/index.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import {
  assembleOutage,
  type OutageTimeline,
  type WatchedObjectChange,
} from './outage-timeline.ts';
import type { ZoneOutageParameters } from './parameters.ts';
import { namespace, workloadSelector } from './workload.ts';
import { writeOutage } from './write-outage.ts';
import { parseZoneStates, readControllerManagerLog, type ZoneStateChange } from './zone-state.ts';

type Resource = 'node' | 'pod';

/** What the scenario knows about its fault and hands over. */
export interface OutageFault {
  failed: readonly string[];
  zoneSize: number;
  /** When the nodes stopped (the fault window's start). */
  faultMs: number;
}

/**
 * The zone outage as the control plane lived it: watches of the zone's simulated nodes and the
 * workload's pods from before the fault (server timestamps), the controller-manager's log for
 * its zone states, and the simulator's CPU and memory over the outage. The scenario tells it
 * when the fault started and healed and reads the timeline so far to know when to stop.
 */
export class OutageMeasurement implements Measurement {
  readonly name = 'zone-outage';
  #watches: WatchSet<Resource> | undefined;
  #fault: (OutageFault & { usage0?: SimulatorUsage }) | undefined;
  #healMs: number | undefined;

  async start(ctx: ScenarioContext<unknown>): Promise<void> {
    const params = ctx.params as ZoneOutageParameters;
    this.#watches = new WatchSet<Resource>(ctx.cluster.kubeConfig(), {
      node: { path: '/api/v1/nodes', labelSelector: `${simulatedNodeLabels.zone}=${params.zone}` },
      pod: {
        path: `/api/v1/namespaces/${namespace}/pods`,
        labelSelector: workloadSelector,
      },
    });
    await this.#watches.start();
  }

  faultStarted(fault: OutageFault, usage0: SimulatorUsage | undefined): void {
    this.#fault = { ...fault, usage0 };
  }

  healed(atMs: number): void {
    this.#healMs = atMs;
  }

  /** The outage so far (failed nodes' NotReady and taint times, their pods' evictions). */
  timeline(): OutageTimeline {
    if (!this.#fault) throw new Error('zone-outage: no fault started yet');
    return assembleOutage({
      changes: (this.#watches?.changes ?? []) as WatchedObjectChange[],
      failed: this.#fault.failed,
      faultMs: this.#fault.faultMs,
    });
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    this.#watches?.stop();
    const fault = this.#fault;
    if (!fault) return;
    const params = ctx.params as ZoneOutageParameters;
    const healMs = this.#healMs ?? Date.now();
    const controlPlane = ctx.cluster.nodes.find((n) => n.role === 'control-plane');
    let zoneStates: ZoneStateChange[] = [];
    if (controlPlane) {
      const controllerLog = await readControllerManagerLog(
        ctx.cluster.kubeConfig(),
        controlPlane.name,
        fault.faultMs,
      ).catch((e: unknown) => {
        log.warn(`could not read the controller-manager's log: ${(e as Error).message}`);
        return undefined;
      });
      if (controllerLog !== undefined) {
        zoneStates = parseZoneStates(controllerLog);
        ctx.writer.artifact('outage/kube-controller-manager.log', controllerLog);
      }
    }
    const simulated = ctx.cluster.simulatedNodes;
    const usage1 = simulated?.usage();
    if (!simulated) return;
    writeOutage(ctx.writer, {
      params,
      profileValue: (key) =>
        ctx.cluster
          .effectiveConfig()
          .find((e) => e.component === 'controllerManager' && e.key === key)?.observed ??
        findKnob('controllerManager', key)?.default,
      timeline: this.timeline(),
      zoneStates,
      zoneSize: fault.zoneSize,
      faultMs: fault.faultMs,
      healMs,
      simulator: {
        facts: simulated.facts(),
        cpuSeconds:
          fault.usage0 && usage1 ? usage1.cpuSeconds - fault.usage0.cpuSeconds : undefined,
        peakRssBytes: usage1?.peakRssBytes,
        windowSeconds: (healMs - fault.faultMs) / 1000,
      },
    });
  }
}
