import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig, V1Node } from '@kubernetes/client-node';
import pMap from 'p-map';
import type { ResolvedProfile } from '../../harness/profiles/index.ts';
import { cleanup, type Undo } from '../../harness/util/cleanup.ts';
import { log } from '../../harness/util/log.ts';
import { waitFor } from '../../harness/util/wait-for.ts';
import { cacheDir } from '../images/cache-dir.ts';
import { core } from '../kube.ts';
import { simulatedNodeLabels } from './simulated-node-labels.ts';
import {
  type SimulatedNodeSlot,
  simulatedNodeManifest,
  simulatedNodeSlots,
} from './simulated-node-manifest.ts';
import { type SimulatorCadence, simulatorCadence } from './simulator-cadence.ts';
import { type SimulatorStage, simulatorConfig, simulatorStages } from './simulator-config.ts';
import { processUsage, type SimulatorUsage, startSimulatorProcess } from './simulator-process.ts';

/** The cluster option: N simulated nodes spread over Z zones. */
export interface SimulatedNodesSpec {
  count: number;
  zones: number;
}

/** What results record about the simulated nodes. */
export interface SimulatedNodesFacts extends SimulatedNodesSpec {
  simulator: string;
  kwokVersion: string;
  cadence: SimulatorCadence;
  stages: SimulatorStage[];
  /** From the first create request to the last node Ready. */
  readySeconds: number;
}

const isReady = (n: V1Node) =>
  n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/**
 * Lets the node lifecycle controller count the simulated nodes in their zones' health, once all
 * of them are Ready. Until then they carry upstream's exclude-disruption label, because a zone
 * seen while its nodes are still being created (more than 55% not yet Ready, at most
 * large-cluster-size-threshold nodes so far) is PartialDisruption with an eviction rate of 0,
 * and the controller's limiter for 0/s reports a rate of 1/s: with node-eviction-rate 1 the
 * zone's return to Normal then swaps nothing and the zone never taints a node again until the
 * controller restarts (kubernetes/kubernetes#104639, unfixed). A zone that first appears with
 * every node Ready starts Normal with a fresh limiter at node-eviction-rate.
 */
async function countInZoneHealth(
  api: ReturnType<typeof core>,
  slots: readonly SimulatedNodeSlot[],
): Promise<void> {
  const path = `/metadata/labels/${simulatedNodeLabels.excludeDisruption.replace('/', '~1')}`;
  await log.step(
    `Counting ${slots.length} simulated nodes in their zones' health`,
    'Simulated nodes counted',
    () =>
      pMap(slots, (s) => api.patchNode({ name: s.name, body: [{ op: 'remove', path }] }), {
        concurrency: 16,
      }),
  );
}

/**
 * Simulated nodes beside a real cluster: kwok fakes their kubelets (lease renewals, status,
 * pods going Running) against the real apiserver, controller-manager and scheduler, so the
 * control plane's node-count behaviour (eviction rate limiting per zone, heartbeat write load)
 * can be measured on one machine.
 */
export class SimulatedNodes {
  readonly nodes: readonly SimulatedNodeSlot[];
  readonly zones: readonly string[];
  readonly #kc: KubeConfig;
  readonly #pid: number;
  readonly #stop: Undo;
  readonly #facts: SimulatedNodesFacts;
  readonly logFile: string;

  private constructor(init: {
    kc: KubeConfig;
    nodes: SimulatedNodeSlot[];
    pid: number;
    stop: Undo;
    facts: SimulatedNodesFacts;
    logFile: string;
  }) {
    this.#kc = init.kc;
    this.nodes = init.nodes;
    this.zones = [...new Set(init.nodes.map((n) => n.zone))];
    this.#pid = init.pid;
    this.#stop = init.stop;
    this.#facts = init.facts;
    this.logFile = init.logFile;
  }

  static async start(opts: {
    kc: KubeConfig;
    clusterName: string;
    profile: ResolvedProfile;
    spec: SimulatedNodesSpec;
    kwok: { path: string; version: string };
    readyTimeoutMs?: number;
  }): Promise<SimulatedNodes> {
    const { kc, spec } = opts;
    const cadence = simulatorCadence(opts.profile);
    const logDir = join(cacheDir(), 'kwok-logs');
    await mkdir(logDir, { recursive: true });
    const logFile = join(logDir, `${opts.clusterName}.log`);
    // registered before the process exists (the house rule for everything a run creates)
    let proc: Awaited<ReturnType<typeof startSimulatorProcess>> | undefined;
    let slots: SimulatedNodeSlot[] = [];
    let t0 = performance.now();
    let readySeconds = 0;
    const stop = cleanup.push(`stop the node simulator of ${opts.clusterName}`, async () => {
      await proc?.stop();
    });
    try {
      proc = await startSimulatorProcess({
        kwok: opts.kwok.path,
        kubeConfig: kc,
        config: simulatorConfig(cadence),
        logFile,
      });
      slots = simulatedNodeSlots(`${opts.clusterName}-sim`, spec.count, spec.zones);
      const api = core(kc);
      t0 = performance.now();
      await log.step(
        `Creating ${spec.count} simulated nodes in ${spec.zones} zones (kwok ${opts.kwok.version})`,
        'Simulated nodes created',
        () =>
          pMap(slots, (s) => api.createNode({ body: simulatedNodeManifest(s) }), {
            concurrency: 16,
          }),
      );
      await waitFor(
        `${spec.count} simulated nodes Ready`,
        {
          timeoutMs: opts.readyTimeoutMs ?? Math.max(120_000, spec.count * 300),
          intervalMs: 1000,
          progress: (status) => log.info(`simulated nodes: ${status}`),
        },
        async () => {
          const list = await api.listNode({
            labelSelector: `${simulatedNodeLabels.simulated}=true`,
          });
          const ready = list.items.filter(isReady).length;
          return ready >= spec.count ? ready : { pending: `${ready}/${spec.count} Ready` };
        },
      );
      readySeconds = (performance.now() - t0) / 1000;
      await countInZoneHealth(api, slots);
    } catch (e) {
      // a simulator left running would keep writing to a cluster that is about to go
      await stop.run();
      throw e;
    }
    log.info(`${spec.count} simulated nodes Ready after ${readySeconds.toFixed(1)}s`);
    return new SimulatedNodes({
      kc,
      nodes: slots,
      pid: proc!.pid,
      stop,
      logFile,
      facts: {
        ...spec,
        simulator: 'kwok (host process)',
        kwokVersion: opts.kwok.version,
        cadence,
        stages: simulatorStages(cadence),
        readySeconds,
      },
    });
  }

  facts(): SimulatedNodesFacts {
    return this.#facts;
  }

  /** The simulator's own CPU and memory so far (it shares the machine with the cluster). */
  usage(): SimulatorUsage | undefined {
    return processUsage(this.#pid);
  }

  /**
   * Stops the heartbeats of these simulated nodes: kwok releases them, so their leases and
   * status go stale and their pods stay as they are, as when a zone's network fails. The undo
   * (registered first) hands them back to kwok, which renews their leases again.
   */
  async stopHeartbeats(names: readonly string[]): Promise<Undo> {
    const api = core(this.#kc);
    const set = (value: 'on' | 'off') =>
      pMap(
        names,
        (name) =>
          api.patchNode({
            name,
            body: [
              {
                op: 'replace',
                path: `/metadata/labels/${simulatedNodeLabels.heartbeat.replace('/', '~1')}`,
                value,
              },
            ],
          }),
        { concurrency: 16 },
      );
    const undo = cleanup.push(`restart heartbeats of ${names.length} simulated nodes`, async () => {
      await set('on');
    });
    await set('off');
    return undo;
  }

  async stop(): Promise<void> {
    await this.#stop.run();
  }
}
