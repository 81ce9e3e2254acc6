import test from 'ava';
import type { SimulatedNodesFacts } from '../../../../clusters/kwok/index.ts';
import type { MetricInput } from '../../../../harness/scenario/records.ts';
import type { RunRecorder } from '../../../../harness/scenario/run-recorder.ts';
import type { OutageTimeline } from '../../../../scenarios/zone-outage/outage-timeline.ts';
import { parameters } from '../../../../scenarios/zone-outage/parameters.ts';
import { writeOutage } from '../../../../scenarios/zone-outage/write-outage.ts';

const faultMs = Date.parse('2026-11-27T16:00:00Z');
const s = (x: number) => faultMs + x * 1000;

function recorder() {
  const metrics: MetricInput[] = [];
  const rec = {
    runId: 'r',
    dir: '/nonexistent',
    event: (e: unknown) => e,
    metric: (m: MetricInput) => {
      metrics.push(m);
      return m;
    },
    distribution: () => undefined,
    sample: () => undefined,
    artifact: (p: string) => p,
    markInvalid: () => undefined,
  } as unknown as RunRecorder;
  return { rec, value: (name: string) => metrics.find((m) => m.name === name)?.value, metrics };
}

function write(timeline: OutageTimeline) {
  const r = recorder();
  writeOutage(r.rec, {
    params: parameters.parse({ simulatedNodes: 200, outageNodes: 2, maxOutageSeconds: 240 }),
    profileValue: () => 0.1,
    timeline,
    zoneStates: [],
    zoneSize: 100,
    faultMs,
    healMs: s(240),
    simulator: { facts: { count: 200 } as SimulatedNodesFacts, windowSeconds: 240 },
  });
  return r;
}

const nodes = [
  { node: 'a', notReadyMs: s(12), taintMs: s(13) },
  { node: 'b', notReadyMs: s(14), taintMs: s(23) },
];
const taints = nodes.map((n) => ({ ...n }));

test('every pod evicted: the last eviction and last taint are milestones reached', (t) => {
  const { value, metrics } = write({
    nodes,
    taints,
    pods: [
      { pod: 'p1', node: 'a', evictedMs: s(18) },
      { pod: 'p2', node: 'b', evictedMs: s(28) },
    ],
  });
  t.is(value('zone_outage.last_eviction_seconds'), 28);
  t.is(value('zone_outage.last_taint_seconds'), 23);
  t.is(value('zone_outage.outage_seconds'), 240);
  t.true(
    metrics.every((m) => Object.keys(m.labels ?? {}).length === 0),
    'no zone label',
  );
});

test('a pod not evicted by the heal: no last eviction (censored at outage_seconds), not the latest one seen', (t) => {
  const { value } = write({
    nodes,
    taints: taints.slice(0, 1),
    pods: [
      { pod: 'p1', node: 'a', evictedMs: s(18) },
      { pod: 'p2', node: 'b' },
    ],
  });
  t.is(value('zone_outage.last_eviction_seconds'), undefined);
  t.is(value('zone_outage.last_taint_seconds'), undefined);
  t.is(value('zone_outage.evicted_pods'), 1);
  t.is(value('zone_outage.outage_seconds'), 240);
});
