import { join } from 'node:path';
import { planRuns } from '../../../harness/compare/plan-runs.ts';
import { seededRandom } from '../../../harness/compare/seeded-random.ts';
import { HistogramRecorder } from '../../../harness/results/histogram.ts';
import { RunWriter } from '../../../harness/results/run-writer.ts';
import type { EffectiveConfigEntry, MetricInput } from '../../../harness/results/schema.ts';

export interface FixtureOptions {
  profiles?: string[];
  repeat?: number;
  calibrate?: boolean;
  /** Mark the first candidate run invalid (host contention). */
  invalidRun?: boolean;
  /** Put markup into labels, event names and config values. */
  hostile?: boolean;
  /** Per-second samples (makes the fixture slower to write). */
  samples?: boolean;
}

export const hostileText = '<img src=x onerror="alert(1)"><script>alert(2)</script>';

/**
 * Writes a results directory like `tuneproof compare` would: a planned, interleaved set of
 * node-unreachable runs of `default` and `tuned`, where tuned evicts faster and returns fewer
 * 502s (improved), is slower on GET and LIST p99 (regressed; LIST also misses its SLO), and
 * equal elsewhere. Values come from a seeded PRNG: the same fixture every time.
 */
export function writeFixtureRuns(dir: string, options: FixtureOptions = {}): string[] {
  const profiles = options.profiles ?? ['default', 'tuned'];
  const plan = planRuns({
    profiles,
    scenarios: ['node-unreachable'],
    repeat: options.repeat ?? 5,
    calibrate: options.calibrate ?? false,
    comparisonId: 'cmp-fixture',
  });
  const random = seededRandom(7);
  const noise = (scale: number) => (random() - 0.5) * 2 * scale;
  const base = Date.now() - 150_000;
  let invalidMarked = false;
  for (const planned of plan.runs) {
    const tuned = planned.profile !== 'default';
    const start = new Date(base + planned.index);
    const w = new RunWriter(
      join(dir, planned.runId),
      {
        runId: planned.runId,
        toolVersion: '0.1.0-test',
        profile: {
          name: planned.profile,
          digest: `sha256:${planned.profile.padEnd(12, '0')}`,
          values: { 'kubelet.nodeStatusUpdateFrequency': tuned ? '4s' : '10s' },
        },
        scenario: { name: 'node-unreachable', preset: 'smoke' },
        plan: {
          comparisonId: planned.comparisonId,
          side: planned.side,
          repetition: planned.repetition,
        },
        host: {
          cpus: 2,
          memoryBytes: 24 * 2 ** 30,
          kernel: '6.1.0',
          platform: 'linux',
          nodeVersion: 'v24.12.0',
        },
      },
      start,
    );
    const at = (s: number) => new Date(start.getTime() + s * 1000);
    w.setCluster({
      provider: 'kind',
      name: `tp-${planned.index}`,
      kubernetesVersion: 'v1.34.0',
      nodes: [
        { name: 'control-plane', role: 'control-plane' },
        { name: 'worker', role: 'worker' },
        { name: 'worker2', role: 'worker' },
      ],
      images: [],
    });
    w.setEffectiveConfig(effectiveConfig(tuned, options.hostile ?? false));
    const notReadyS = tuned ? 8 + noise(1) : 40 + noise(2);
    const evictS = tuned ? 45 + noise(4) : 300 + noise(15);
    w.event({ kind: 'phase', name: 'warm-up', edge: 'start', at: at(0) });
    w.event({ kind: 'phase', name: 'warm-up', edge: 'end', at: at(10) });
    w.event({ kind: 'load', name: 'constant-rate 50/s', edge: 'start', at: at(10) });
    w.event({
      kind: 'fault',
      name: 'partition worker2',
      edge: 'start',
      at: at(40),
      detail: { node: 'worker2' },
    });
    w.event({
      kind: 'cluster',
      name: options.hostile ? hostileText : 'worker2 Ready=Unknown',
      at: at(40 + notReadyS),
    });
    w.event({ kind: 'fault', name: 'partition worker2', edge: 'end', at: at(100) });
    w.event({ kind: 'recovery', name: 'worker2 healed', at: at(100) });
    w.event({ kind: 'load', name: 'constant-rate 50/s', edge: 'end', at: at(120) });
    if (options.samples ?? true) {
      for (let s = 0; s < 120; s++) {
        const inFault = s >= 40 && s < 40 + notReadyS + 5;
        w.sample('client.status', Math.round(50 + noise(2)), { code: '200' }, at(s));
        w.sample(
          'client.status',
          inFault ? Math.round((tuned ? 8 : 12) + noise(3)) : 0,
          { code: '502' },
          at(s),
        );
      }
    }
    const metrics: MetricInput[] = [
      {
        name: 'client.errors',
        labels: { window: 'fault' },
        unit: 'count',
        direction: 'lower',
        value: Math.round(tuned ? 60 + noise(12) : 150 + noise(20)),
      },
      {
        name: 'unreachable.time_to_not_ready',
        unit: 's',
        direction: 'lower',
        value: notReadyS,
        description: 'fault to Ready=Unknown',
      },
      { name: 'unreachable.time_to_first_eviction', unit: 's', direction: 'lower', value: evictS },
      {
        name: 'api.latency.p99',
        labels: { verb: 'GET' },
        unit: 'ms',
        direction: 'lower',
        value: tuned ? 240 + noise(20) : 180 + noise(20),
        slo: {
          op: '<=',
          threshold: 1000,
          source: 'SIG Scalability: single-object API calls p99 <= 1s',
        },
      },
      {
        name: 'api.latency.p99',
        labels: { verb: 'LIST', ...(options.hostile ? { path: hostileText } : {}) },
        unit: 'ms',
        direction: 'lower',
        value: tuned ? 370 + noise(15) : 250 + noise(15),
        slo: { op: '<=', threshold: 300, source: 'test objective' },
      },
      { name: 'pods.replaced', unit: 'count', direction: 'none', value: 10 },
      {
        name: 'client.requests',
        unit: 'count',
        direction: 'higher',
        value: Math.round(6000 + noise(30)),
      },
      { name: 'apiserver.restarts', unit: 'count', direction: 'lower', value: 0 },
    ];
    for (const m of metrics) w.metric(m);
    const h = new HistogramRecorder();
    for (let i = 0; i < 2000; i++) h.record(Math.exp(3 + random() * (tuned ? 1.2 : 1.5)));
    w.distribution(h.toDistribution('client.latency', 'ms', { route: 'canary' }));
    if (options.invalidRun && tuned && !planned.calibration && !invalidMarked) {
      w.markInvalid('host CPU steal 12% > 5% during the fault');
      invalidMarked = true;
    }
    w.finish('complete');
  }
  return plan.runs.map((r) => r.runId);
}

function effectiveConfig(tuned: boolean, hostile: boolean): EffectiveConfigEntry[] {
  return [
    {
      component: 'kubelet',
      key: 'nodeStatusUpdateFrequency',
      scope: 'per-node',
      desired: tuned ? '4s' : '10s',
      observed: tuned ? '4s' : '10s',
      status: 'applied',
    },
    {
      component: 'kube-controller-manager',
      key: 'node-monitor-grace-period',
      scope: 'cluster',
      desired: tuned ? '16s' : '40s',
      observed: tuned ? '16s' : '40s',
      status: 'applied',
    },
    {
      component: 'kube-apiserver',
      key: 'max-requests-inflight',
      scope: 'cluster',
      desired: 400,
      observed: 400,
      status: 'applied',
    },
    {
      component: 'sysctl',
      key: 'vm.dirty_ratio',
      scope: 'host-global',
      desired: tuned ? 10 : 20,
      observed: 20,
      status: tuned ? 'not-applicable' : 'applied',
      ...(tuned ? { note: 'host-global: set on the host, not per node' } : {}),
    },
    {
      component: 'containerd',
      key: 'max_concurrent_downloads',
      scope: 'per-node',
      node: 'worker',
      desired: tuned ? 10 : 3,
      observed: 3,
      status: tuned ? 'differs' : 'applied',
    },
    ...(hostile
      ? [
          {
            component: 'kubelet',
            key: 'podLogsDir',
            scope: 'per-node' as const,
            desired: hostileText,
            observed: hostileText,
            status: 'applied' as const,
          },
        ]
      : []),
  ];
}
