import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { RunWriter } from '../../../../harness/results/run-writer.ts';
import type { PodTimeline } from '../../../../scenarios/image-pull-storm/pod-timeline.ts';
import {
  summarise,
  writeStormResults,
} from '../../../../scenarios/image-pull-storm/storm-metrics.ts';

const pod = (name: string, extra: Partial<PodTimeline>): PodTimeline => ({
  name,
  node: 'w1',
  image: 'r/i0:v',
  pullErrors: 0,
  backOffs: 0,
  server: {},
  ...extra,
});

const storm = [
  pod('storm-0', {
    createdMs: 1000,
    scheduledMs: 1100,
    pullRequestedMs: 1200,
    pullStartedMs: 1200,
    pulledMs: 3200,
    pullMs: 2000,
    pullWithWaitMs: 2000,
    imageBytes: 100,
    runningMs: 3500,
  }),
  // the same image on the same node, asked for while the first pull ran: one transfer
  pod('storm-1', {
    createdMs: 1000,
    scheduledMs: 1100,
    pullRequestedMs: 1200,
    pullStartedMs: 3200,
    pulledMs: 3300,
    pullMs: 100,
    pullWithWaitMs: 2100,
    imageBytes: 100,
    runningMs: 3600,
  }),
  pod('storm-2', {
    image: 'r/i1:v',
    createdMs: 1010,
    scheduledMs: 1100,
    pullRequestedMs: 1200,
    pullStartedMs: 3300,
    pulledMs: 5300,
    pullMs: 2000,
    pullWithWaitMs: 4100,
    imageBytes: 300,
    runningMs: 6000,
    backOffs: 1,
  }),
];

test('storm summary: completion from first created to last Running, bytes once per node and image', (t) => {
  const s = summarise(storm);
  t.is(s.completionMs, 5000);
  t.is(s.running, 3);
  t.is(s.pulls, 3);
  t.is(s.pulledBytes, 400);
  t.is(s.backOffs, 1);
  t.is(summarise([...storm, pod('storm-3', { createdMs: 900 })]).completionMs, undefined);
});

test('storm results: metrics with units and directions, distributions, in-flight samples, milestones', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'storm-'));
  const w = new RunWriter(
    dir,
    {
      runId: 'r1',
      toolVersion: 't',
      profile: { name: 'p', digest: 'd', values: {} },
      scenario: { name: 'image-pull-storm' },
    },
    new Date(0),
  );
  // the labels come from the given function (the scenario drops the cluster prefix)
  writeStormResults(w, storm, ['w1', 'w2'], 500, (n) => n.toUpperCase());
  const result = w.finish('complete');
  const m = (name: string) => result.metrics.find((x) => x.name === name);
  t.is(m('pull.duration.p50')?.direction, 'none', 'a pull slowed by sharing the link is context');
  t.is(m('pod.time_to_running.p50')?.direction, 'lower');
  t.deepEqual(
    {
      value: m('storm.completion_seconds')?.value,
      unit: m('storm.completion_seconds')?.unit,
      direction: m('storm.completion_seconds')?.direction,
    },
    { value: 5, unit: 's', direction: 'lower' },
  );
  t.is(m('storm.completion_seconds')?.slo, undefined, 'no pod-startup SLO on a storm with pulls');
  t.is(m('pull.backoffs')?.value, 1);
  t.is(
    result.metrics.find((x) => x.name === 'pulls.max_in_flight' && x.labels.node === 'W1')?.value,
    1,
  );
  t.is(
    result.metrics.find((x) => x.name === 'pulls.max_in_flight' && x.labels.node === 'W2')?.value,
    0,
  );
  t.true(Math.abs(m('pull.queued.max')!.value - 2100) < 5);
  t.deepEqual(
    result.distributions.map((d) => [d.name, d.count]),
    [
      ['pod.time_to_running', 3],
      ['pod.time_to_scheduled', 3],
      ['pull.duration', 3],
      ['pull.queued', 3],
    ],
  );
  const samples = readFileSync(join(dir, 'samples.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const w1 = samples.filter((s) => s.series === 'pulls.in_flight' && s.labels.node === 'W1');
  // one sample per 500 ms from the first creation (1000) to past the last Running (6000); each
  // pull counts inside its interval shrunk by EDGE_TOLERANCE_MS (0.5 s) at both ends, and the
  // 100 ms re-pull not at all
  t.deepEqual(
    w1.map((s) => s.value),
    [0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0],
  );
  t.deepEqual(
    result.timeline.map((e) => e.name),
    ['first pod created', 'first pull started', 'last pull finished', 'last pod running'],
  );
});
