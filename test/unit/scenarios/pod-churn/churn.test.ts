import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { RunWriter } from '../../../../harness/results/run-writer.ts';
import { resolveParameters } from '../../../../harness/scenario/parameters.ts';
import { writeChurnResults } from '../../../../scenarios/pod-churn/churn-metrics.ts';
import {
  buildChurnPods,
  type ChurnPodJson,
  churnStages,
  type ObservedPod,
  stageSpan,
  tokenBucketSeconds,
} from '../../../../scenarios/pod-churn/churn-timeline.ts';
import { deploymentsManifest, splitReplicas } from '../../../../scenarios/pod-churn/deployments.ts';
import { podChurn } from '../../../../scenarios/pod-churn/scenario.ts';

const iso = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const t0 = Date.UTC(2026, 0, 1);

/** A pod's life as the watch delivers it: added, bound, running, deleted (grace 1 s). */
function life(name: string, created: number, scheduled: number, started: number, deleted: number) {
  const meta = { name, uid: `uid-${name}`, creationTimestamp: iso(created) };
  const bound: ChurnPodJson = {
    metadata: meta,
    spec: { nodeName: 'w1' },
    status: {
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: iso(scheduled) }],
    },
  };
  const running: ChurnPodJson = {
    ...bound,
    status: {
      ...bound.status,
      phase: 'Running',
      containerStatuses: [{ state: { running: { startedAt: iso(started) } } }],
    },
  };
  const deleting: ChurnPodJson = {
    ...running,
    metadata: { ...meta, deletionTimestamp: iso(deleted + 1), deletionGracePeriodSeconds: 1 },
  };
  const at = (s: number) => t0 + s * 1000 + 300;
  return [
    { type: 'ADDED', object: { metadata: meta }, observedMs: at(created) },
    { type: 'MODIFIED', object: bound, observedMs: at(scheduled) },
    { type: 'MODIFIED', object: running, observedMs: at(started + 2) },
    // a re-list re-delivers the running pod: the first sighting stays
    { type: 'ADDED', object: running, observedMs: at(started + 5) },
    { type: 'MODIFIED', object: deleting, observedMs: at(deleted) },
    { type: 'DELETED', object: deleting, observedMs: at(deleted + 2) },
  ] satisfies ObservedPod[];
}

/** A run writer for pod-churn results, in a temporary directory. */
const churnWriter = () =>
  new RunWriter(
    mkdtempSync(join(tmpdir(), 'churn-')),
    {
      runId: 'r1',
      toolVersion: 't',
      profile: { name: 'p', digest: 'd', values: {} },
      scenario: { name: 'pod-churn' },
    },
    new Date(0),
  );

test('each pod: created, scheduled, running and deletion requested from server timestamps', (t) => {
  const [p] = buildChurnPods(life('a', 0, 1, 3, 10));
  t.like(p, {
    name: 'a',
    node: 'w1',
    createdMs: t0,
    scheduledMs: t0 + 1000,
    runningMs: t0 + 3000,
    // deletionTimestamp is the request plus the grace period
    deleteRequestedMs: t0 + 10_000,
  });
  t.deepEqual(p!.observed, { runningMs: t0 + 5300, goneMs: t0 + 12_300 });
});

test('a pod with a container not yet running is not running', (t) => {
  const [p] = buildChurnPods([
    {
      type: 'ADDED',
      observedMs: 1,
      object: {
        metadata: { name: 'b', uid: 'u' },
        status: {
          phase: 'Running',
          containerStatuses: [{ state: { running: { startedAt: iso(2) } } }, { state: {} }],
        },
      },
    },
  ]);
  t.is(p!.runningMs, undefined);
});

test('stage spans: pods per second between the first and last pod, at least a 1 s span', (t) => {
  t.deepEqual(stageSpan([]), { pods: 0 });
  t.like(stageSpan([0, 1000, 9000, undefined]), {
    pods: 3,
    firstMs: 0,
    lastMs: 9000,
    spanSeconds: 9,
    podsPerSecond: 2 / 9,
  });
  // inside the whole-second resolution: a lower bound on the rate
  t.like(stageSpan([5000, 5000, 5000]), { spanSeconds: 0, podsPerSecond: 2 });
  t.is(stageSpan([5000]).podsPerSecond, undefined);
});

test('the token-bucket lower bound: (N - burst) / qps, never negative', (t) => {
  t.is(tokenBucketSeconds(100, 5, 10), 18);
  t.is(tokenBucketSeconds(100, 20, 30), 3.5);
  t.is(tokenBucketSeconds(20, 20, 30), 0);
});

test('churn results: stage metrics, startup latency with the SLO, samples and milestones', (t) => {
  const changes = [...life('a', 0, 0, 2, 20), ...life('b', 0, 1, 4, 21), ...life('c', 4, 5, 9, 24)];
  const pods = buildChurnPods(changes);
  t.deepEqual(
    Object.fromEntries(Object.entries(churnStages(pods)).map(([k, v]) => [k, v.spanSeconds])),
    { create: 4, schedule: 5, run: 7, delete: 4 },
  );
  const w = churnWriter();
  const s = writeChurnResults(w, pods);
  t.is(s.completionMs, 9000);
  const result = w.finish('complete');
  const m = (name: string) => result.metrics.find((x) => x.name === name);
  t.like(m('churn.create.seconds'), { value: 4, unit: 's', direction: 'lower' });
  t.like(m('churn.create.pods_per_second'), { value: 0.5, unit: 'per_s', direction: 'higher' });
  t.is(m('churn.pods_running')?.value, 3);
  // startup as the SLO defines it: creation -> seen running by the watch (started + 2 s + 0.3 s)
  t.true(Math.abs(m('pod.startup_latency.max')!.value - 7300) < 10);
  t.like(m('pod.startup_latency.p99')?.slo, { op: '<=', threshold: 5000 });
  t.is(m('pod.startup_latency.p50')?.slo, undefined);
  t.true(Math.abs(m('pod.containers_started.max')!.value - 5000) < 10);
  t.deepEqual(
    result.distributions.map((d) => [d.name, d.count]),
    [
      ['pod.startup_latency', 3],
      ['pod.containers_started', 3],
      ['pod.created_to_scheduled', 3],
    ],
  );
  t.true(result.timeline.some((e) => e.name === 'last pod deletion requested'));
});

test('an incomplete churn has no completion time', (t) => {
  const pods = buildChurnPods([
    ...life('a', 0, 0, 2, 20),
    {
      type: 'ADDED',
      observedMs: 1,
      object: { metadata: { name: 'z', uid: 'z', creationTimestamp: iso(1) } },
    },
  ]);
  const w = churnWriter();
  t.is(writeChurnResults(w, pods).completionMs, undefined);
  // the one pod that ran is not the churn's startup latency: no figures over a survivor
  const result = w.finish('complete');
  t.deepEqual(
    result.metrics.filter((m) => /^pod\.(startup|containers)|^churn\.run\./.test(m.name)),
    [],
  );
  t.deepEqual(
    result.distributions.map((d) => d.name),
    ['pod.created_to_scheduled'],
  );
  t.truthy(result.metrics.find((m) => m.name === 'churn.create.seconds'));
});

test('replicas split evenly over the Deployments, the rest to the first ones', (t) => {
  t.deepEqual(splitReplicas(100, 1), [100]);
  t.deepEqual(splitReplicas(10, 4), [3, 3, 2, 2]);
  t.is(
    splitReplicas(203, 7).reduce((a, b) => a + b, 0),
    203,
  );
});

test('the Deployments run the given image, never pulled', (t) => {
  const text = deploymentsManifest([2, 1], 'registry.k8s.io/pause:3.10.1');
  t.is(text.match(/kind: Deployment/g)?.length, 2);
  t.regex(text, /imagePullPolicy: Never/);
  t.regex(text, /replicas: 1/);
});

test('parameters: presets resolve, bad input is refused with the field path', (t) => {
  t.like(resolveParameters(podChurn, 'smoke'), { pods: 100, workers: 1, until: 'running' });
  t.like(resolveParameters(podChurn, 'standard'), { pods: 200, deployments: 4, workers: 2 });
  const e = t.throws(() => resolveParameters(podChurn, 'smoke', { pods: 150 }));
  t.regex(e!.message + JSON.stringify(e), /pods/);
  t.throws(() => resolveParameters(podChurn, 'smoke', { until: 'ready' }));
  t.throws(() => resolveParameters(podChurn, 'smoke', { replicas: 3 }));
});
