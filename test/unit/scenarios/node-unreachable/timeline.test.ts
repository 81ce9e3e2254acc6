import test from 'ava';
import {
  assembleTimeline,
  type Change,
  secondsTo,
} from '../../../../scenarios/node-unreachable/timeline.ts';

// the fault lands 0.4 s into a second: server timestamps (whole seconds) may read earlier
const T = Date.parse('2026-01-01T00:00:00.400Z');
const iso = (offsetMs: number) => new Date(T + offsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
const micro = (offsetMs: number) => new Date(T + offsetMs).toISOString().replace('Z', '000Z');
const node = 'c-worker';
const other = 'c-worker2';

const nodeObj = (
  name: string,
  ready: string,
  sinceMs: number,
  taints: { key: string; effect: string; timeAdded?: string }[] = [],
) => ({
  metadata: { name },
  spec: { taints },
  status: { conditions: [{ type: 'Ready', status: ready, lastTransitionTime: iso(sinceMs) }] },
});

const pod = (
  name: string,
  nodeName: string,
  o: {
    created?: number;
    readyAt?: number;
    deletion?: { atMs: number; grace: number };
    disruptionAt?: number;
  } = {},
) => ({
  metadata: {
    name,
    labels: { app: 'canary' },
    creationTimestamp: iso(o.created ?? -600_000),
    ...(o.deletion
      ? {
          deletionTimestamp: iso(o.deletion.atMs + o.deletion.grace * 1000),
          deletionGracePeriodSeconds: o.deletion.grace,
        }
      : {}),
  },
  spec: { nodeName },
  status: {
    conditions: [
      ...(o.readyAt === undefined
        ? []
        : [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAt) }]),
      ...(o.disruptionAt === undefined
        ? []
        : [
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'DeletionByTaintManager',
              lastTransitionTime: iso(o.disruptionAt),
            },
          ]),
    ],
  },
});

const slice = (endpoints: { pod: string; node: string; ready: boolean }[]) => ({
  metadata: { name: 'canary-abcde' },
  endpoints: endpoints.map((e) => ({
    nodeName: e.node,
    targetRef: { name: e.pod },
    conditions: { ready: e.ready },
  })),
});

const at = (
  offsetMs: number,
  resource: Change['resource'],
  object: unknown,
  type: Change['type'] = 'MODIFIED',
): Change => ({
  resource,
  type,
  observedMs: T + offsetMs,
  object,
});

const unreachable = (offsetMs: number) => [
  { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(offsetMs) },
];

/** One whole run: fault at T, grace 20 s, toleration 30 s, heal at T+60 s. */
function fullRun(): Change[] {
  const all = (ready: (p: string) => boolean) =>
    slice([
      { pod: 'p1', node, ready: ready('p1') },
      { pod: 'p2', node, ready: ready('p2') },
      { pod: 'p3', node: other, ready: true },
      { pod: 'p4', node: other, ready: true },
    ]);
  return [
    // the initial lists, before the fault
    at(-30_000, 'node', nodeObj(node, 'True', -600_000), 'ADDED'),
    at(-30_000, 'node', nodeObj(other, 'True', -600_000), 'ADDED'),
    at(-30_000, 'pod', pod('p1', node, { readyAt: -500_000 }), 'ADDED'),
    at(-30_000, 'pod', pod('p2', node, { readyAt: -500_000 }), 'ADDED'),
    at(-30_000, 'pod', pod('p3', other, { readyAt: -500_000 }), 'ADDED'),
    at(-30_000, 'pod', pod('p4', other, { readyAt: -500_000 }), 'ADDED'),
    at(
      -30_000,
      'endpointslice',
      all(() => true),
      'ADDED',
    ),
    // leases: the faulted node renewed 3.3 s before the fault, the other one keeps renewing
    at(-13_300, 'lease', { metadata: { name: node }, spec: { renewTime: micro(-13_300) } }),
    at(-3_300, 'lease', { metadata: { name: node }, spec: { renewTime: micro(-3_300) } }),
    at(5_000, 'lease', { metadata: { name: other }, spec: { renewTime: micro(5_000) } }),
    // the node controller: Ready=Unknown and taints at T+17 s (last renew + 20 s)
    at(17_600, 'node', nodeObj(node, 'Unknown', 17_000)),
    at(17_700, 'node', nodeObj(node, 'Unknown', 17_000, unreachable(17_000))),
    at(
      17_900,
      'endpointslice',
      all((p) => !['p1', 'p2'].includes(p)),
    ),
    // evictions 30 s after the taint: p1 marked DisruptionTarget; p2 only deleted
    at(
      47_500,
      'pod',
      pod('p1', node, {
        readyAt: -500_000,
        disruptionAt: 47_000,
        deletion: { atMs: 47_000, grace: 10 },
      }),
    ),
    at(
      48_200,
      'pod',
      pod('p2', node, { readyAt: -500_000, deletion: { atMs: 48_000, grace: 10 } }),
    ),
    at(
      48_300,
      'event',
      {
        reason: 'TaintManagerEviction',
        involvedObject: { kind: 'Pod', name: 'p2' },
        firstTimestamp: iso(48_000),
      },
      'ADDED',
    ),
    // replacements on the other worker
    at(47_600, 'pod', pod('r1', other, { created: 47_000 }), 'ADDED'),
    at(48_400, 'pod', pod('r2', other, { created: 48_000 }), 'ADDED'),
    at(50_300, 'pod', pod('r1', other, { created: 47_000, readyAt: 50_000 })),
    at(52_300, 'pod', pod('r2', other, { created: 48_000, readyAt: 52_000 })),
    at(
      52_500,
      'endpointslice',
      slice([
        { pod: 'p3', node: other, ready: true },
        { pod: 'p4', node: other, ready: true },
        { pod: 'r1', node: other, ready: true },
        { pod: 'r2', node: other, ready: true },
      ]),
    ),
    // healed at T+60 s, Ready again at T+64 s, taints gone
    at(64_500, 'node', nodeObj(node, 'True', 64_000)),
  ];
}

test('a whole run: every milestone at its server time, relative to the fault', (t) => {
  const tl = assembleTimeline({
    changes: fullRun(),
    node,
    podSelector: 'app=canary',
    replicas: 4,
    faultMs: T,
    healMs: T + 60_000,
  });
  const s = (name: Parameters<typeof secondsTo>[1]) => secondsTo(tl, name, T);
  t.is(s('last heartbeat'), -3.3);
  // server seconds: 17.0 s after a fault 0.4 s into its second reads 16.6 s
  t.is(s('node not ready'), 16.6);
  t.is(s('taint NoExecute'), 16.6);
  t.is(s('taint NoSchedule'), 17.7, 'no timeAdded: when the watch saw it');
  t.is(tl.milestones.find((m) => m.name === 'taint NoSchedule')?.source, 'observed');
  t.is(s('endpoints dropped'), 17.9);
  t.is(s('first eviction'), 46.6);
  t.is(s('last eviction'), 47.6);
  t.is(s('replacements ready'), 51.6);
  t.is(s('endpoints restored'), 52.5);
  t.is(s('node ready again'), 63.6);
  t.deepEqual(tl.podsOnNode, ['p1', 'p2']);
  t.deepEqual(
    tl.evicted.map((e) => e.pod),
    ['p1', 'p2'],
  );
  t.deepEqual(tl.replacements.map((r) => r.pod).sort(), ['r1', 'r2']);
  const names = tl.milestones.map((m) => m.name);
  t.deepEqual(
    names,
    [...names].sort(
      (a, b) =>
        tl.milestones.find((m) => m.name === a)!.atMs -
        tl.milestones.find((m) => m.name === b)!.atMs,
    ),
    'milestones come in time order',
  );
});

test('the order the changes arrive in does not matter', (t) => {
  const input = { node, podSelector: 'app=canary', replicas: 4, faultMs: T, healMs: T + 60_000 };
  const a = assembleTimeline({ ...input, changes: fullRun() });
  const b = assembleTimeline({ ...input, changes: [...fullRun()].reverse() });
  t.deepEqual(a, b);
});

test('while the fault lasts: no heal, so no "node ready again"; replacements only once all pods went', (t) => {
  const upTo = (ms: number) => fullRun().filter((c) => c.observedMs <= T + ms);
  const input = { node, podSelector: 'app=canary', replicas: 4, faultMs: T };
  const early = assembleTimeline({ ...input, changes: upTo(50_400) });
  // p1 and p2 evicted, r1 Ready, r2 not yet: not all replacements Ready
  t.is(early.evicted.length, 2);
  t.false(early.milestones.some((m) => m.name === 'replacements ready'));
  const later = assembleTimeline({ ...input, changes: upTo(60_000) });
  t.true(later.milestones.some((m) => m.name === 'replacements ready'));
  t.false(later.milestones.some((m) => m.name === 'node ready again'));
});

test('no eviction inside the window (default tolerations): NotReady, no eviction milestones', (t) => {
  const changes = fullRun().filter((c) => c.observedMs < T + 40_000);
  changes.push(at(44_500, 'node', nodeObj(node, 'True', 44_000)));
  changes.push(
    at(
      45_000,
      'endpointslice',
      slice([
        { pod: 'p1', node, ready: true },
        { pod: 'p2', node, ready: true },
        { pod: 'p3', node: other, ready: true },
        { pod: 'p4', node: other, ready: true },
      ]),
    ),
  );
  const tl = assembleTimeline({
    changes,
    node,
    podSelector: 'app=canary',
    replicas: 4,
    faultMs: T,
    healMs: T + 40_000,
  });
  t.deepEqual(tl.evicted, []);
  const names = tl.milestones.map((m) => m.name);
  t.false(names.includes('first eviction'));
  t.false(names.includes('replacements ready'));
  t.true(names.includes('node not ready'));
  t.is(secondsTo(tl, 'endpoints restored', T), 45);
  t.is(secondsTo(tl, 'node ready again', T + 40_000), 3.6);
});

test('what happened before the fault is no reaction to it', (t) => {
  const changes: Change[] = [
    // a flap long before the fault, and a pod deleted on another node
    at(-120_000, 'node', nodeObj(node, 'Unknown', -120_000, unreachable(-120_000))),
    at(-60_000, 'node', nodeObj(node, 'True', -60_000)),
    at(-30_000, 'pod', pod('p1', node, { readyAt: -500_000 }), 'ADDED'),
    at(30_000, 'pod', pod('p3', other, { deletion: { atMs: 30_000, grace: 10 } }), 'ADDED'),
  ];
  const tl = assembleTimeline({
    changes,
    node,
    podSelector: 'app=canary',
    replicas: 2,
    faultMs: T,
  });
  t.deepEqual(tl.milestones, []);
  t.deepEqual(tl.evicted, []);
});

const renewal = (offsetMs: number) =>
  at(offsetMs + 50, 'lease', { metadata: { name: node }, spec: { renewTime: micro(offsetMs) } });

test("the node's last heartbeat: the last renewal before NotReady, even one that landed during the injection", (t) => {
  const changes = [
    renewal(-13_300),
    renewal(-3_300),
    // a renewal in flight while the node was being paused still lands
    renewal(700),
    at(21_000, 'node', nodeObj(node, 'Unknown', 20_000)),
    // after the heal the kubelet renews again
    renewal(70_000),
  ];
  const input = { node, podSelector: 'app=canary', replicas: 2, faultMs: T, healMs: T + 60_000 };
  t.is(secondsTo(assembleTimeline({ ...input, changes }), 'last heartbeat', T), 0.7);
  // never NotReady: the last renewal before the heal
  const quiet = [renewal(-3_300), renewal(45_000), renewal(70_000)];
  t.is(secondsTo(assembleTimeline({ ...input, changes: quiet }), 'last heartbeat', T), 45);
  // while the fault lasts: the last one so far
  t.is(
    secondsTo(
      assembleTimeline({ ...input, healMs: undefined, changes: quiet.slice(0, 1) }),
      'last heartbeat',
      T,
    ),
    -3.3,
  );
});

test('a node status update after the last renewal is the later heartbeat the grace period runs from', (t) => {
  const status = (beatOffsetMs: number, ready = 'True', sinceMs = -600_000) => {
    const n = nodeObj(node, ready, sinceMs);
    Object.assign(n.status.conditions[0] as object, { lastHeartbeatTime: iso(beatOffsetMs) });
    return n;
  };
  // as seen in a CI run: renewals 10 s apart, then the kubelet posted its status (a changed
  // image list) just as the fault was injected, and NotReady came 20 s after that update
  const changes = [
    at(-60_000, 'node', status(-61_000), 'ADDED'),
    renewal(-9_600),
    at(100, 'node', status(0)),
    // the node controller marks it Unknown and keeps the kubelet's heartbeat
    at(22_700, 'node', status(0, 'Unknown', 22_600)),
    // after the heal the kubelet reports again
    at(70_000, 'node', status(69_600)),
  ];
  const tl = assembleTimeline({
    node,
    podSelector: 'app=canary',
    replicas: 2,
    faultMs: T,
    healMs: T + 60_000,
    changes,
  });
  // the update was delivered 0.1 s after the fault, inside the heartbeat's whole second
  t.is(secondsTo(tl, 'last heartbeat', T), 0.1);
  t.deepEqual(tl.milestones.find((m) => m.name === 'last heartbeat')?.detail, {
    via: 'node status',
  });
  // a status seen long after its heartbeat (the watch's initial list) counts at the heartbeat
  const late = assembleTimeline({
    node,
    podSelector: 'app=canary',
    replicas: 2,
    faultMs: T,
    changes: [at(5_000, 'node', status(-30_000), 'ADDED')],
  });
  t.is(secondsTo(late, 'last heartbeat', T), -29.401);
});

test('pods of other apps are not canary pods', (t) => {
  const stranger = pod('x', node, { deletion: { atMs: 30_000, grace: 0 } });
  stranger.metadata.labels = { app: 'proxy' };
  const tl = assembleTimeline({
    changes: [at(-1000, 'pod', stranger, 'ADDED'), at(31_000, 'pod', stranger)],
    node,
    podSelector: 'app=canary',
    replicas: 1,
    faultMs: T,
  });
  t.deepEqual(tl.podsOnNode, []);
});

test('an eviction event stands in when the pod carries no deletion grace period', (t) => {
  const p = pod('p1', node, { readyAt: -500_000 });
  const deleted = pod('p1', node, { readyAt: -500_000 });
  (deleted.metadata as Record<string, unknown>).deletionTimestamp = iso(80_000);
  const tl = assembleTimeline({
    changes: [
      at(-1000, 'pod', p, 'ADDED'),
      at(
        50_100,
        'event',
        {
          reason: 'TaintManagerEviction',
          involvedObject: { kind: 'Pod', name: 'p1' },
          eventTime: micro(50_000),
        },
        'ADDED',
      ),
      at(50_200, 'pod', deleted),
    ],
    node,
    podSelector: 'app=canary',
    replicas: 1,
    faultMs: T,
  });
  // without a grace period the deletion timestamp reads 80 s; the earliest server stamp wins
  t.is(tl.evicted.length, 1);
  t.is(tl.evicted[0]!.source, 'server');
  t.is(secondsTo(tl, 'first eviction', T), 50, 'the event time, in microseconds');
});

test('one of two pods evicted and replaced: the node is not replaced yet', (t) => {
  // p2's eviction never comes (the fault window ended first); r1 is Ready
  const changes = fullRun().filter(
    (c) =>
      !(
        c.resource === 'pod' && (c.object as { metadata: { name: string } }).metadata.name === 'r2'
      ) &&
      !(
        c.resource === 'pod' &&
        c.observedMs > T &&
        (c.object as { metadata: { name: string } }).metadata.name === 'p2'
      ),
  );
  const tl = assembleTimeline({
    changes,
    node,
    podSelector: 'app=canary',
    replicas: 4,
    faultMs: T,
  });
  t.deepEqual(
    tl.evicted.map((e) => e.pod),
    ['p1'],
  );
  t.false(tl.milestones.some((m) => m.name === 'replacements ready'));
});
