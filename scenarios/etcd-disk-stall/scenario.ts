import { z } from 'zod';
import { core } from '../../clusters/kube.ts';
import {
  diskWriteThrottle,
  type FaultWindow,
  freezeProcess,
  withFault,
} from '../../harness/faults/index.ts';
import { readK6Points } from '../../harness/load/k6.ts';
import { statusClass } from '../../harness/load/k6-aggregate.ts';
import { scrapeEtcd } from '../../harness/measure/etcd-metrics.ts';
import {
  counterDelta,
  histogramDelta,
  histogramQuantile,
  type Scrape,
} from '../../harness/measure/prometheus.ts';
import { HistogramRecorder } from '../../harness/results/histogram.ts';
import type { RunWriter } from '../../harness/results/run-writer.ts';
import type { Scenario, ScenarioContext } from '../../harness/scenario/types.ts';
import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { ApiLoad, driveApiLoad, prepareApiLoad } from '../apiserver-load/load.ts';
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
type Params = z.infer<typeof parameters>;

const writeHeavy = { get: 0.3, list: 0.05, create: 0.3, update: 0.3, delete: 0.05 };

type Phase = 'before' | 'during' | 'after';
const phases: Phase[] = ['before', 'during', 'after'];

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
  measurements: () => [],
  async run(ctx) {
    const { cluster, writer, params } = ctx;
    const controlPlane = cluster.nodes.find((n) => n.role === 'control-plane');
    if (!controlPlane) throw new Error('no control-plane node');
    const durationSeconds = params.warmupSeconds + params.stallSeconds + params.recoverySeconds;
    const load = { ...params.load, durationSeconds, rampSeconds: 0 };
    const token = await prepareApiLoad(cluster, load);
    const restartsBefore = await restartCounts(ctx);
    const scrapes: Scrape[] = [await scrapeEtcd(controlPlane)];
    const marks: Date[] = [new Date()];
    writer.event({ kind: 'load', name: 'api load', edge: 'start', detail: { rate: load.rate } });
    const k6 = driveApiLoad({ k6: ctx.tools.k6, cluster, writer, load, token, signal: ctx.signal });
    k6.catch(() => undefined); // awaited below; keep an early failure from going unhandled
    await sleep(params.warmupSeconds * 1000, ctx.signal);
    scrapes.push(await scrapeEtcd(controlPlane));
    let window: FaultWindow | undefined;
    const stall = { timeline: writer, target: { cluster, node: controlPlane } };
    const hold = async (w: FaultWindow) => {
      window = w;
      await sleep(params.stallSeconds * 1000, ctx.signal);
    };
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
    marks.push(new Date(window!.startMs), new Date(window!.endMs!));
    // the scrape right after release may wait for etcd to drain its backlog
    scrapes.push(await scrapeEtcd(controlPlane).catch(() => scrapes.at(-1)!));
    const run = await k6;
    marks.push(new Date());
    writer.event({ kind: 'load', name: 'api load', edge: 'end' });
    scrapes.push(await scrapeEtcd(controlPlane));
    writeEtcdPhases(writer, scrapes);
    await writeClientPhases(writer, run.pointsFile, marks);
    const restartsAfter = await restartCounts(ctx);
    for (const component of ['etcd', 'kube-apiserver']) {
      writer.metric({
        name: 'control_plane.restarts',
        labels: { component },
        unit: 'count',
        direction: 'lower',
        value: (restartsAfter.get(component) ?? 0) - (restartsBefore.get(component) ?? 0),
      });
    }
  },
};

/** Container restarts of the static control-plane pods (a stall can make the kubelet restart them). */
async function restartCounts(ctx: ScenarioContext<Params>): Promise<Map<string, number>> {
  const pods = await core(ctx.cluster.kubeConfig()).listNamespacedPod({
    namespace: 'kube-system',
    labelSelector: 'tier=control-plane',
  });
  const out = new Map<string, number>();
  for (const p of pods.items) {
    const component = p.metadata?.labels?.component ?? '';
    out.set(
      component,
      (p.status?.containerStatuses ?? []).reduce((a, c) => a + c.restartCount, 0),
    );
  }
  return out;
}

/** etcd's fsync and commit percentiles per phase, from histogram deltas between the scrapes. */
function writeEtcdPhases(writer: RunWriter, scrapes: Scrape[]): void {
  const families: [string, string][] = [
    ['etcd_disk_wal_fsync_duration_seconds', 'etcd.wal_fsync'],
    ['etcd_disk_backend_commit_duration_seconds', 'etcd.backend_commit'],
  ];
  phases.forEach((phase, i) => {
    const before = scrapes[i]!;
    const after = scrapes[i + 1]!;
    for (const [family, name] of families) {
      const h = histogramDelta(before, after, family).get('');
      const p99 = h ? histogramQuantile(0.99, h) : undefined;
      // the SLO applies to a healthy disk: before the fault (during it, missing is the point)
      const slo =
        name === 'etcd.wal_fsync' && phase === 'before'
          ? { op: '<' as const, threshold: 10, source: 'etcd: WAL fsync p99 < 10 ms' }
          : undefined;
      writer.metric({
        name: `${name}.p99`,
        labels: { phase },
        unit: 'ms',
        direction: 'lower',
        value: (p99 ?? 0) * 1000,
        slo,
        description: `${family} p99 (${h?.count ?? 0} observations)`,
      });
      writer.metric({
        name: `${name}.count`,
        labels: { phase },
        unit: 'count',
        direction: 'none',
        value: h?.count ?? 0,
      });
    }
    const slow = counterDelta(before, after, 'etcd_server_slow_apply_total').get('') ?? 0;
    writer.metric({
      name: 'etcd.slow_applies',
      labels: { phase },
      unit: 'count',
      direction: 'lower',
      value: slow,
    });
  });
  const leader =
    counterDelta(scrapes[0]!, scrapes.at(-1)!, 'etcd_server_leader_changes_seen_total').get('') ??
    0;
  writer.metric({ name: 'etcd.leader_changes', unit: 'count', direction: 'lower', value: leader });
}

/**
 * Client view per phase from every request k6 made: errors, latency percentiles, and the time
 * from the release until the API served cleanly (no error, p99 under 1 s) for 5 seconds running.
 */
async function writeClientPhases(
  writer: RunWriter,
  pointsFile: string,
  marks: Date[],
): Promise<void> {
  const [, stallStart, stallEnd] = marks.map((d) => d.getTime());
  const phaseOf = (t: number): Phase =>
    t < stallStart! ? 'before' : t < stallEnd! ? 'during' : 'after';
  const latency = new Map<Phase, HistogramRecorder>(
    phases.map((p) => [p, new HistogramRecorder()]),
  );
  const errors = new Map<Phase, number>(phases.map((p) => [p, 0]));
  const perSecond = new Map<number, { errors: number; ok: number; max: number }>();
  for await (const p of readK6Points(pointsFile, new Set(['http_req_duration']))) {
    if (p.tags.verb === 'SETUP') continue;
    const phase = phaseOf(p.timeMs);
    latency.get(phase)!.record(p.value);
    const status = statusClass(p.tags.status, p.tags.error_code);
    const failed = status !== '2xx';
    if (failed) errors.set(phase, errors.get(phase)! + 1);
    const second = Math.floor(p.timeMs / 1000);
    const s = perSecond.get(second) ?? { errors: 0, ok: 0, max: 0 };
    if (failed) s.errors++;
    else s.ok++;
    s.max = Math.max(s.max, p.value);
    perSecond.set(second, s);
  }
  for (const phase of phases) {
    const h = latency.get(phase)!;
    writer.distribution(h.toDistribution('api.latency', 'ms', { phase }));
    writer.metric({
      name: 'api.latency.p99',
      labels: { phase },
      unit: 'ms',
      direction: 'lower',
      value: h.count ? h.percentile(99) : 0,
    });
    writer.metric({
      name: 'api.errors',
      labels: { phase },
      unit: 'count',
      direction: 'lower',
      value: errors.get(phase)!,
    });
  }
  const seconds = [...perSecond.keys()].sort((a, b) => a - b);
  for (const sec of seconds) {
    const s = perSecond.get(sec)!;
    writer.sample('api.requests_ok', s.ok, {}, new Date(sec * 1000));
    writer.sample('api.requests_failed', s.errors, {}, new Date(sec * 1000));
    writer.sample('api.latency_max_ms', s.max, {}, new Date(sec * 1000));
  }
  const releaseSec = Math.floor(stallEnd! / 1000);
  const clean = (sec: number) => {
    const s = perSecond.get(sec);
    return s !== undefined && s.errors === 0 && s.max < 1000;
  };
  const recovered = seconds.find(
    (sec) => sec >= releaseSec && [0, 1, 2, 3, 4].every((k) => clean(sec + k)),
  );
  if (recovered !== undefined) {
    writer.metric({
      name: 'api.recovery_seconds',
      unit: 's',
      direction: 'lower',
      value: Math.max(0, recovered - stallEnd! / 1000),
      description: 'from release until 5 clean seconds',
    });
    writer.event({
      kind: 'cluster',
      name: 'API serving cleanly again',
      at: new Date(recovered * 1000),
    });
  } else {
    writer.event({ kind: 'note', name: 'API did not serve cleanly for 5 s before the load ended' });
    log.warn('the API did not recover within the recovery window');
  }
}
