import test from 'ava';
import { z } from 'zod';
import { kindCapabilities } from '../../../clusters/kind/provider.ts';
import type { Capabilities, Cluster, NodeHandle } from '../../../clusters/provider.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { type Fault, faultNames, faults, withFault } from '../../../harness/faults/index.ts';
import { cleanup } from '../../../harness/util/cleanup.ts';

// pure logic: the order of registration, injection, events and recovery; no cluster involved
const allCapabilities: Capabilities = kindCapabilities;
const node = { name: 'n1', role: 'worker', ip: '10.0.0.2' } as NodeHandle;
const clusterWith = (capabilities: Capabilities) =>
  ({ provider: 'fake', capabilities, nodes: [node] }) as unknown as Cluster;

type Event = {
  kind: string;
  name: string;
  edge: string;
  at: Date;
  detail?: Record<string, unknown>;
};

function recordingFault(log: string[]): Fault<z.ZodObject<{ level: z.ZodDefault<z.ZodNumber> }>> {
  return {
    name: 'test-fault',
    description: 'for tests',
    parameters: z.object({ level: z.number().int().min(1).default(3) }).strict(),
    requires: ['nodeExec', 'destructive'],
    title: (p) => `level ${p.level}`,
    async inject(target, p) {
      const undo = cleanup.push('undo test fault', async () => void log.push('recovered'));
      log.push(`injected ${p.level} on ${target.node.name}`);
      return undo;
    },
  };
}

test('the window: injected, start event, hold, recovered, end event, nothing left registered', async (t) => {
  const log: string[] = [];
  const events: Event[] = [];
  const size = cleanup.size;
  const t0 = Date.now();
  const value = await withFault(
    {
      timeline: { event: (e) => void events.push(e) },
      fault: recordingFault(log),
      target: { cluster: clusterWith(allCapabilities), node },
      detail: { podsOnNode: 2 },
    },
    async (w) => {
      log.push('holding');
      t.is(w.endMs, undefined);
      return 42;
    },
  );
  t.is(value, 42);
  t.deepEqual(log, ['injected 3 on n1', 'holding', 'recovered']);
  t.deepEqual(
    events.map((e) => `${e.kind} ${e.name} ${e.edge}`),
    ['fault level 3: n1 start', 'fault level 3: n1 end'],
  );
  const [start, end] = events;
  t.true(start!.at.getTime() >= t0 && end!.at.getTime() >= start!.at.getTime());
  t.like(start!.detail, { fault: 'test-fault', node: 'n1', level: 3, podsOnNode: 2 });
  t.is(typeof start!.detail?.injectMs, 'number');
  t.is(end!.detail, undefined);
  t.is(cleanup.size, size);
});

test('a failing hold still recovers, marks the end early, and rethrows', async (t) => {
  const log: string[] = [];
  const events: Event[] = [];
  let seen: { endMs?: number } | undefined;
  await t.throwsAsync(
    withFault(
      {
        timeline: { event: (e) => void events.push(e) },
        fault: recordingFault(log),
        target: { cluster: clusterWith(allCapabilities), node },
      },
      async (w) => {
        seen = w;
        throw new Error('hold failed');
      },
    ),
    { message: 'hold failed' },
  );
  t.deepEqual(log, ['injected 3 on n1', 'recovered']);
  t.deepEqual(events.at(-1)?.detail, { early: true });
  t.is(typeof seen?.endMs, 'number', 'the window is closed for the caller to read');
});

test('a signal mid-window (the cleanup stack drained) heals and closes the window once', async (t) => {
  const log: string[] = [];
  const events: Event[] = [];
  await withFault(
    {
      timeline: { event: (e) => void events.push(e) },
      fault: recordingFault(log),
      target: { cluster: clusterWith(allCapabilities), node },
    },
    () => cleanup.runAll(),
  );
  t.deepEqual(log, ['injected 3 on n1', 'recovered']);
  t.deepEqual(
    events.map((e) => e.edge),
    ['start', 'end'],
  );
});

test('missing capabilities and bad parameters are refused before injecting, all at once', async (t) => {
  const log: string[] = [];
  const events: Event[] = [];
  const e = await t.throwsAsync(
    withFault(
      {
        timeline: { event: (x) => void events.push(x) },
        fault: recordingFault(log),
        target: { cluster: clusterWith({ ...allCapabilities, nodeExec: false }), node },
        params: { level: 0 },
      },
      async () => t.fail('held a fault that was refused'),
    ),
    { instanceOf: ConfigError },
  );
  t.deepEqual(
    (e as ConfigError).problems.map((p) => p.path),
    ['provider', 'level'],
  );
  t.regex((e as ConfigError).problems[0]!.message, /needs nodeExec/);
  t.deepEqual(log, []);
  t.deepEqual(events, []);
});

test('the registry: every fault once by its kebab-case name, destructive, with defaults that parse', (t) => {
  t.deepEqual(faultNames(), [
    'block-kubelet-apiserver',
    'disk-write-throttle',
    'freeze-process',
    'network-disconnect',
    'pause-node',
    'stop-simulated-heartbeats',
  ]);
  for (const [name, f] of Object.entries(faults)) {
    t.is(f.name, name);
    t.regex(name, /^[a-z]+(-[a-z]+)*$/);
    t.true(f.requires.includes('destructive'), `${name} needs destructive`);
  }
  t.deepEqual(faults['block-kubelet-apiserver']!.parameters.parse({}), { apiServerPort: 6443 });
});

test('stop-simulated-heartbeats: refuses nodes the cluster does not simulate, else hands the names to the simulator', async (t) => {
  const stopped: string[][] = [];
  const simulatedNodes = {
    nodes: [{ name: 's-a-1' }, { name: 's-a-2' }],
    stopHeartbeats: async (names: readonly string[]) => {
      stopped.push([...names]);
      return cleanup.push('restart heartbeats', async () => undefined);
    },
  };
  const cluster = {
    name: 'c',
    provider: 'fake',
    capabilities: allCapabilities,
    nodes: [node],
    simulatedNodes,
  } as unknown as Cluster;
  const fault = faults['stop-simulated-heartbeats']!;
  await t.throwsAsync(fault.inject({ cluster, node }, { nodes: ['s-a-1', 'real-1'] }), {
    message: /not simulated nodes of c: real-1/,
  });
  const undo = await fault.inject({ cluster, node }, { nodes: ['s-a-2'] });
  t.deepEqual(stopped, [['s-a-2']]);
  await undo.run();
  await t.throwsAsync(
    fault.inject(
      { cluster: { ...cluster, simulatedNodes: undefined } as Cluster, node },
      {
        nodes: ['s-a-1'],
      },
    ),
    { message: /no simulated nodes/ },
  );
  t.is(
    fault.title(fault.parameters.parse({ nodes: ['x', 'y'] })),
    '2 simulated nodes stop renewing',
  );
});
