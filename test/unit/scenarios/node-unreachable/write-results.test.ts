import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { RunWriter } from '../../../../harness/results/run-writer.ts';
import type { UnreachableTimeline } from '../../../../scenarios/node-unreachable/timeline.ts';
import { writeTimeline } from '../../../../scenarios/node-unreachable/write-results.ts';

const T = Date.parse('2026-01-01T00:00:00.400Z');

test('reaction metrics: seconds after the fault, and each controller delay between milestones', (t) => {
  const w = new RunWriter(
    mkdtempSync(join(tmpdir(), 'unreachable-')),
    {
      runId: 'r1',
      toolVersion: 't',
      profile: { name: 'p', digest: 'd', values: {} },
      scenario: { name: 'node-unreachable' },
    },
    new Date(T),
  );
  const tl: UnreachableTimeline = {
    milestones: [
      { name: 'last heartbeat', atMs: T + 100, source: 'observed' },
      { name: 'node not ready', atMs: T + 23_226, source: 'server' },
      { name: 'taint NoExecute', atMs: T + 23_226, source: 'server' },
      { name: 'first eviction', atMs: T + 53_226, source: 'server' },
    ],
    evicted: [{ pod: 'p1', atMs: T + 53_226, source: 'server' }],
    replacements: [],
    podsOnNode: ['p1', 'p2'],
  };
  writeTimeline(w, tl, { node: 'c-worker', faultMs: T });
  const { metrics } = w.finish('complete');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value;
  t.is(value('unreachable.time_to_not_ready'), 23.226);
  t.is(value('unreachable.time_to_first_eviction'), 53.226);
  t.is(value('unreachable.not_ready_after_last_heartbeat'), 23.126);
  t.is(value('unreachable.eviction_after_taint'), 30);
  t.is(value('unreachable.evicted_pods'), 1);
  t.is(metrics.find((m) => m.name === 'unreachable.evicted_pods')?.direction, 'none');
  // never reached: no metric, rather than a made-up value
  t.is(value('unreachable.time_to_replacements_ready'), undefined);
  t.is(value('unreachable.time_to_node_ready_after_heal'), undefined);
});
