import test from 'ava';
import {
  appliedTaintRate,
  assembleOutage,
  podsLeftOnDeadNodes,
  type WatchedObjectChange,
} from '../../../../scenarios/zone-outage/outage-timeline.ts';
import { summariseOutage } from '../../../../scenarios/zone-outage/write-outage.ts';
import { parseZoneStates } from '../../../../scenarios/zone-outage/zone-state.ts';

const t0 = Date.parse('2026-11-27T16:00:00Z');
const iso = (s: number) => new Date(t0 + s * 1000).toISOString().replace('.000', '');

function node(name: string, notReadyS?: number, taintS?: number): WatchedObjectChange {
  return {
    resource: 'node',
    type: 'MODIFIED',
    observedMs: t0,
    object: {
      metadata: { name },
      spec: {
        taints: [
          { key: 'tuneproof.dev/simulated', effect: 'NoSchedule' },
          ...(taintS === undefined
            ? []
            : [
                {
                  key: 'node.kubernetes.io/unreachable',
                  effect: 'NoExecute',
                  timeAdded: iso(taintS),
                },
              ]),
        ],
      },
      status: {
        conditions: [
          {
            type: 'Ready',
            status: notReadyS === undefined ? 'True' : 'Unknown',
            lastTransitionTime: iso(notReadyS ?? -3600),
          },
        ],
      },
    },
  };
}

function pod(name: string, nodeName: string, deletedS?: number): WatchedObjectChange {
  return {
    resource: 'pod',
    type: 'MODIFIED',
    observedMs: t0,
    object: {
      metadata: {
        name,
        creationTimestamp: iso(-600),
        ...(deletedS === undefined
          ? {}
          : { deletionTimestamp: iso(deletedS + 30), deletionGracePeriodSeconds: 30 }),
      },
      spec: { nodeName },
    },
  };
}

test('NotReady, taint and eviction times come from server timestamps of the failed nodes only', (t) => {
  const tl = assembleOutage({
    faultMs: t0,
    failed: ['a-1', 'a-2'],
    changes: [
      node('a-1'),
      node('a-1', 20),
      node('a-1', 20, 20),
      node('a-2', 22, 30),
      node('b-1', 21, 21),
      pod('p1', 'a-1'),
      pod('p1', 'a-1', 25),
      pod('p2', 'a-2'),
      pod('p3', 'b-1', 26),
    ],
  });
  t.deepEqual(
    tl.nodes.map((n) => [n.node, (n.notReadyMs! - t0) / 1000, (n.taintMs! - t0) / 1000]),
    [
      ['a-1', 20, 20],
      ['a-2', 22, 30],
    ],
  );
  // deletionTimestamp minus the grace period: when the DELETE arrived
  t.deepEqual(
    tl.pods.map((p) => [p.pod, p.evictedMs === undefined ? null : (p.evictedMs - t0) / 1000]),
    [
      ['p1', 25],
      ['p2', null],
    ],
  );
  t.deepEqual(
    podsLeftOnDeadNodes(tl.pods, t0, t0 + 26_000).map((x) => x.left),
    [...new Array(25).fill(2), 1, 1],
  );
});

test('applied rate counts only intervals where the later node waited for its taint', (t) => {
  // NotReady at 6..10 s, taints every 10 s from 10 s: every node waits for the limiter
  const taints = [10, 20, 30, 40, 50].map((s, i) => ({
    node: `n${i}`,
    taintMs: t0 + s * 1000,
    notReadyMs: t0 + (10 - i) * 1000,
  }));
  t.deepEqual(appliedTaintRate(taints), { rate: 0.1, intervals: 4, seconds: 40 });
  // a node tainted within a second of its NotReady did not wait: its gap is arrival
  const late = [...taints, { node: 'n5', taintMs: t0 + 200_000, notReadyMs: t0 + 199_000 }];
  t.is(appliedTaintRate(late).intervals, 4);
  // one that waited 2 s behind the one before: the limiter's gap
  const queued = [...late, { node: 'n6', taintMs: t0 + 210_000, notReadyMs: t0 + 201_000 }];
  t.deepEqual(appliedTaintRate(queued), { rate: 5 / 50, intervals: 5, seconds: 50 });
});

test("the controller's zone-state log lines parse, the NUL-separated zone key included", (t) => {
  const log = [
    `2026-11-27T16:00:30.123456789Z I1127 16:00:30.123456       1 node_lifecycle_controller.go:1067] "Controller detected that zone is now in new state" zone=":\\x00:zone-a" newState="PartialDisruption"`,
    '2026-11-27T16:00:31.000000000Z I1127 16:00:31.000000       1 something else',
    '2026-11-27T16:02:00.000000000Z I1127 16:02:00.000000       1 node_lifecycle_controller.go:1025] "Controller detected that all Nodes are not-Ready. Entering master disruption mode"',
  ].join('\n');
  t.deepEqual(parseZoneStates(log), [
    {
      atMs: Date.parse('2026-11-27T16:00:30.123456789Z'),
      zone: 'zone-a',
      state: 'PartialDisruption',
    },
    { atMs: Date.parse('2026-11-27T16:02:00Z'), zone: '*', state: 'FullDisruption' },
  ]);
});

test('the outage splits at PartialDisruption: Normal rate before, taints per second after', (t) => {
  const taints = [10, 20, 30, 130].map((s, i) => ({
    node: `n${i}`,
    taintMs: t0 + s * 1000,
    notReadyMs: t0 + 10_000,
  }));
  const s = summariseOutage(
    { nodes: [], pods: [], taints },
    [{ atMs: t0 + 35_000, zone: 'zone-a', state: 'PartialDisruption' }],
    'zone-a',
    t0 + 235_000,
  );
  t.is(s.normalRate, 0.1);
  t.is(s.partialTaints, 1);
  t.is(s.partialSeconds, 200);
  t.is(s.partialRate, 0.005);
});
