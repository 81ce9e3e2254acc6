import test from 'ava';
import { parseGoDuration } from '../../../../harness/util/go-duration.ts';
import {
  buildTimelines,
  classifyEvent,
  type EventJson,
  type Observed,
  type PodJson,
  parsePulledMessage,
  pullsInFlight,
} from '../../../../scenarios/image-pull-storm/pod-timeline.ts';

const durations: [string, number | undefined][] = [
  ['1.234s', 1234],
  ['830ms', 830],
  ['1m2.5s', 62_500],
  ['1h0m1s', 3_601_000],
  ['250µs', 0.25],
  ['0s', 0],
  ['12', undefined],
  ['1.5x', undefined],
  ['', undefined],
];
for (const [text, ms] of durations)
  test(`Go duration "${text}" is ${ms} ms`, (t) => {
    t.is(parseGoDuration(text), ms);
  });

test("the kubelet's Pulled message gives pull time, time with waiting and image size", (t) => {
  t.deepEqual(
    parsePulledMessage(
      'Successfully pulled image "172.30.2.5:5000/storm/image-1:r1" in 2.843s (12.5s including waiting). Image size: 17529579 bytes.',
    ),
    {
      image: '172.30.2.5:5000/storm/image-1:r1',
      pullMs: 2843,
      withWaitMs: 12_500,
      imageBytes: 17_529_579,
    },
  );
  // older kubelets said less
  t.deepEqual(parsePulledMessage('Successfully pulled image "a/b:c" in 830ms.'), {
    image: 'a/b:c',
    pullMs: 830,
    withWaitMs: undefined,
    imageBytes: undefined,
  });
  t.is(parsePulledMessage('Container image "a/b:c" already present on machine'), undefined);
});

const ev = (reason: string, message: string, pod = 'storm-0', count = 1): EventJson => ({
  metadata: { uid: `${pod}-${reason}-${message.length}` },
  involvedObject: { kind: 'Pod', name: pod },
  reason,
  message,
  count,
});

test('events are classified as pull milestones, errors and back-offs', (t) => {
  t.is(classifyEvent(ev('Pulling', 'Pulling image "x"')), 'pulling');
  t.is(
    classifyEvent(
      ev(
        'Pulled',
        'Successfully pulled image "x" in 1s (1s including waiting). Image size: 1 bytes.',
      ),
    ),
    'pulled',
  );
  t.is(
    classifyEvent(
      ev('Pulled', 'Container image "x" already present on machine and can be accessed by the pod'),
    ),
    'present',
  );
  t.is(classifyEvent(ev('Failed', 'Failed to pull image "x": rpc error: ...')), 'pullError');
  t.is(classifyEvent(ev('Failed', 'Error: ErrImagePull')), 'pullError');
  t.is(classifyEvent(ev('BackOff', 'Back-off pulling image "x"')), 'backOff');
  t.is(classifyEvent(ev('BackOff', 'Back-off restarting failed container app')), 'other');
  t.is(classifyEvent(ev('Started', 'Started container app')), 'other');
});

const pod = (name: string, extra: Partial<PodJson['status']> = {}, nodeName?: string): PodJson => ({
  metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { nodeName, containers: [{ image: 'reg/storm/image-0:v1' }] },
  status: { phase: 'Pending', ...extra },
});
const scheduled = {
  conditions: [
    { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
  ],
};

test('timelines: each milestone keeps its first sighting; pull start is derived from the stated pull time', (t) => {
  const pods: Observed<PodJson>[] = [
    { object: pod('storm-0'), observedMs: 1000 },
    { object: pod('storm-0', scheduled, 'w1'), observedMs: 1100 },
    {
      object: pod(
        'storm-0',
        {
          ...scheduled,
          phase: 'Running',
          containerStatuses: [{ state: { running: { startedAt: '2026-01-01T00:00:09Z' } } }],
        },
        'w1',
      ),
      observedMs: 9000,
    },
    // a re-list re-delivers the pod: nothing moves
    { object: pod('storm-0', { ...scheduled, phase: 'Running' }, 'w1'), observedMs: 20_000 },
    { object: pod('storm-1', scheduled, 'w1'), observedMs: 1000 },
  ];
  const events: Observed<EventJson>[] = [
    { object: ev('Pulling', 'Pulling image "x"'), observedMs: 1500 },
    {
      object: ev(
        'Pulled',
        'Successfully pulled image "x" in 2s (6s including waiting). Image size: 100 bytes.',
      ),
      // delivered late: the Pulling event's arrival + 6 s says 7500
      observedMs: 8000,
    },
    { object: ev('Failed', 'Failed to pull image "y": not found', 'storm-1'), observedMs: 2000 },
    // the same event object again with a higher count (the API aggregates repeats)
    { object: ev('Failed', 'Failed to pull image "y": not found', 'storm-1', 3), observedMs: 9000 },
    { object: ev('BackOff', 'Back-off pulling image "y"', 'storm-1', 2), observedMs: 9500 },
    // events of other objects are ignored
    {
      object: { ...ev('Pulling', 'x'), involvedObject: { kind: 'Node', name: 'w1' } },
      observedMs: 1,
    },
  ];
  const tl = buildTimelines(pods, events);
  const s0 = tl.get('storm-0')!;
  t.is(s0.createdMs, 1000);
  t.is(s0.scheduledMs, 1100);
  t.is(s0.node, 'w1');
  t.is(s0.pullRequestedMs, 1500);
  t.is(s0.pulledMs, 7500);
  t.is(s0.pullMs, 2000);
  t.is(s0.pullWithWaitMs, 6000);
  t.is(s0.pullStartedMs, 5500);
  t.is(s0.imageBytes, 100);
  t.is(s0.runningMs, 9000);
  t.is(s0.server.started, '2026-01-01T00:00:09Z');
  t.is(s0.pullErrors, 0);
  const s1 = tl.get('storm-1')!;
  t.is(s1.pullErrors, 3);
  t.is(s1.backOffs, 2);
  t.is(s1.runningMs, undefined);
  t.is(tl.size, 2);
});

test('pulls in flight and queued per node at a time, edges within the tolerance not counted', (t) => {
  const base = { pullErrors: 0, backOffs: 0, server: {} };
  const timelines = [
    { ...base, name: 'a', node: 'w1', pullRequestedMs: 0, pullStartedMs: 0, pulledMs: 10_000 },
    // starts 300 ms "before" a ended: serialized pulls whose edges jitter
    { ...base, name: 'b', node: 'w1', pullRequestedMs: 0, pullStartedMs: 9700, pulledMs: 20_000 },
    { ...base, name: 'c', node: 'w2', pullRequestedMs: 0, pullStartedMs: 5000, pulledMs: 15_000 },
    { ...base, name: 'd', node: 'w2' },
  ];
  t.deepEqual(
    pullsInFlight(timelines, 7000),
    new Map([
      ['w1', 1],
      ['w2', 1],
    ]),
  );
  t.deepEqual(pullsInFlight(timelines, 7000, 'waiting'), new Map([['w1', 1]]));
  // around the hand-over neither edge counts: never two at once
  t.deepEqual(pullsInFlight(timelines, 9800), new Map([['w2', 1]]));
  t.deepEqual(
    pullsInFlight(timelines, 12_000),
    new Map([
      ['w1', 1],
      ['w2', 1],
    ]),
  );
  t.deepEqual(pullsInFlight(timelines, 25_000), new Map());
});
