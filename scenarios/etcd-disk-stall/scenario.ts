import { z } from 'zod';
import { diskWriteThrottle, freezeProcess, withFault } from '../../harness/faults/index.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { ApiLoad, driveApiLoad, prepareApiLoad } from '../apiserver-load/load.ts';
import { ClientPhaseMetrics } from './client-phase-metrics.ts';
import { ControlPlaneRestarts } from './control-plane-restarts.ts';
import { EtcdPhaseMetrics } from './etcd-phase-metrics.ts';
import { verdicts } from './primary-metrics.ts';

const parameters = z
  .object({
    /** API load kept running through the whole scenario; write-heavy so etcd fsyncs. */
    load: ApiLoad.omit({ durationSeconds: true, rampSeconds: true }),
    warmupSeconds: z.number().int().min(5).max(600),
    stallSeconds: z.number().int().min(1).max(600),
    recoverySeconds: z.number().int().min(5).max(600),
    /**
     * throttle: blkio write-IOPS limit in etcd's own cgroup (real, slow fsyncs);
     * freeze: SIGSTOP etcd (models "etcd hung", not a slow disk: fsync metrics do not move).
     */
    mode: z.enum(['throttle', 'freeze']),
    writeIops: z.number().int().min(1).max(100_000).default(1),
    workers: z.number().int().min(0).max(3).default(0),
  })
  .strict();

const writeHeavy = { get: 0.3, list: 0.05, create: 0.3, update: 0.3, delete: 0.05 };

/**
 * "What does a slow or stalled etcd disk do to the API?" A steady API load runs while etcd's
 * writes are throttled in its own cgroup (v1 blkio is flat: the limit must sit in etcd's cgroup,
 * keyed by the whole disk behind /var/lib/etcd) or etcd is frozen. etcd's own fsync and commit
 * histograms are read per phase (before, during, after), the client's errors and latency per
 * second, and the time the API takes to serve cleanly again after the release.
 */
export const etcdDiskStall: Scenario<typeof parameters> = {
  name: 'etcd-disk-stall',
  question: 'What does a slow or stalled etcd disk do to the API?',
  parameters,
  presets: {
    smoke: {
      load: { rate: 30, mix: writeHeavy, objects: 30 },
      warmupSeconds: 20,
      stallSeconds: 20,
      recoverySeconds: 25,
      mode: 'throttle',
      writeIops: 1,
    },
    standard: {
      load: { rate: 80, mix: writeHeavy, objects: 200 },
      warmupSeconds: 60,
      stallSeconds: 60,
      recoverySeconds: 90,
      mode: 'throttle',
      writeIops: 1,
    },
  },
  requires: ['nodeExec'],
  faults: (p) => [p.mode === 'throttle' ? diskWriteThrottle : freezeProcess],
  verdicts,
  workers: (p) => p.workers,
  // gathered in reverse: etcd's end scrape right after the load, the client's reading last
  measurements: () => [
    new ClientPhaseMetrics(),
    new EtcdPhaseMetrics(),
    new ControlPlaneRestarts(),
  ],
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    if (!controlPlane) throw new Error('no control-plane node');
    const durationSeconds = params.warmupSeconds + params.stallSeconds + params.recoverySeconds;
    const load = { ...params.load, durationSeconds, rampSeconds: 0 };
    const token = await prepareApiLoad(cluster, load);
    await ctx.phase('before');
    writer.event({ kind: 'load', name: 'api load', edge: 'start', detail: { rate: load.rate } });
    const k6 = driveApiLoad({ k6: ctx.tools.k6, cluster, writer, load, token, signal: ctx.signal });
    k6.catch(() => undefined); // awaited below; keep an early failure from going unhandled
    await sleep(params.warmupSeconds * 1000, ctx.signal);
    await ctx.phase('during');
    const stall = { timeline: writer, target: { cluster, node: controlPlane } };
    const hold = () => sleep(params.stallSeconds * 1000, ctx.signal);
    if (params.mode === 'throttle')
      await withFault(
        {
          ...stall,
          fault: diskWriteThrottle,
          params: { process: 'etcd', path: '/var/lib/etcd', writeIops: params.writeIops },
        },
        hold,
      );
    else await withFault({ ...stall, fault: freezeProcess, params: { process: 'etcd' } }, hold);
    await ctx.phase('after');
    ctx.measurement(ClientPhaseMetrics).load(await k6);
    writer.event({ kind: 'load', name: 'api load', edge: 'end' });
  },
};
