import test from 'ava';
import { configDiff } from '../../../harness/report/config-diff.ts';
import type { EffectiveConfigEntry } from '../../../harness/results/schema.ts';

const entry = (
  key: string,
  desired: unknown,
  observed: unknown,
  status: EffectiveConfigEntry['status'] = 'applied',
  node?: string,
): EffectiveConfigEntry => ({
  component: 'kubelet',
  key,
  scope: 'per-node',
  desired,
  observed,
  status,
  ...(node ? { node } : {}),
});

test('keeps knobs that differ between sides or did not take; drops equal applied ones', (t) => {
  const a = [entry('same', 1, 1), entry('tuned', '10s', '10s'), entry('stuck', 3, 3)];
  const b = [entry('same', 1, 1), entry('tuned', '4s', '4s'), entry('stuck', 10, 3, 'differs')];
  const rows = configDiff([a, b]);
  t.deepEqual(
    rows.map((r) => [r.key, r.valuesDiffer, r.attention]),
    [
      ['stuck', true, true],
      ['tuned', true, false],
    ],
  );
  t.deepEqual(rows[0]!.sides[1], {
    desired: ['10'],
    observed: ['3'],
    statuses: ['differs'],
    notes: [],
  });
  t.is(configDiff([a, b], { all: true }).length, 3);
});

test('a knob only one side has is a difference', (t) => {
  const rows = configDiff([[entry('only-a', true, true)], []]);
  t.is(rows.length, 1);
  t.is(rows[0]!.sides[1], undefined);
});

test('per-node knobs are kept apart per node; values across runs are gathered', (t) => {
  const a = [entry('k', 1, 1, 'applied', 'w1'), entry('k', 1, 2, 'differs', 'w2')];
  const rows = configDiff([a, [...a, entry('k', 1, 1, 'applied', 'w2')]]);
  const w2 = rows.find((r) => r.node === 'w2')!;
  t.deepEqual(w2.sides[1]!.observed, ['1', '2']);
  t.deepEqual(w2.sides[1]!.statuses, ['differs', 'applied']);
  t.false(rows.some((r) => r.node === 'w1'));
});

test('a single side shows only what did not take', (t) => {
  const rows = configDiff([[entry('ok', 1, 1), entry('host', 5, 1, 'not-applicable')]]);
  t.deepEqual(
    rows.map((r) => r.key),
    ['host'],
  );
});

test('a knob applied on the node but not in its pods is shown, with the pods value', (t) => {
  const somaxconn: EffectiveConfigEntry = {
    ...entry('net.core.somaxconn', '32768', '32768', 'applied', 'worker'),
    component: 'sysctls',
    inPods: { observed: '4096', status: 'differs', note: 'read in a pod netns' },
  };
  const rows = configDiff([[somaxconn]]);
  t.is(rows.length, 1, 'a pods difference is not left out as "equal and applied"');
  t.true(rows[0]!.attention);
  t.deepEqual(rows[0]!.sides[0]!.notes, ['in pods: "4096" (differs)']);
});
