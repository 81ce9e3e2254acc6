import test from 'ava';
import { timelineWindows } from '../../../harness/report/timeline-windows.ts';
import { TimelineEvent, type TimelineEventInput } from '../../../harness/results/schema.ts';

const ev = (
  tMs: number,
  kind: TimelineEventInput['kind'],
  name: string,
  edge: TimelineEventInput['edge'],
) => TimelineEvent.parse({ at: new Date(tMs).toISOString(), tMs, kind, name, edge });

test('pairs start and end of the same kind and name', (t) => {
  const w = timelineWindows(
    [
      ev(0, 'phase', 'warm-up', 'start'),
      ev(40_000, 'fault', 'partition worker2', 'start'),
      ev(10_000, 'phase', 'warm-up', 'end'),
      ev(45_000, 'cluster', 'NotReady', 'point'),
      ev(100_000, 'fault', 'partition worker2', 'end'),
    ],
    120_000,
  );
  t.deepEqual(
    w.map((x) => [x.kind, x.name, x.startMs, x.endMs, x.open]),
    [
      ['phase', 'warm-up', 0, 10_000, false],
      ['fault', 'partition worker2', 40_000, 100_000, false],
    ],
  );
});

test('a fault never recovered lasts to the end of the run; a stray end is ignored', (t) => {
  const w = timelineWindows(
    [ev(5_000, 'fault', 'pause', 'start'), ev(1_000, 'fault', 'other', 'end')],
    60_000,
  );
  t.deepEqual(
    w.map((x) => [x.name, x.startMs, x.endMs, x.open]),
    [['pause', 5_000, 60_000, true]],
  );
});

test('repeated windows of the same name pair in order', (t) => {
  const w = timelineWindows(
    [
      ev(1, 'fault', 'f', 'start'),
      ev(2, 'fault', 'f', 'end'),
      ev(3, 'fault', 'f', 'start'),
      ev(4, 'fault', 'f', 'end'),
    ],
    10,
  );
  t.deepEqual(
    w.map((x) => [x.startMs, x.endMs]),
    [
      [1, 2],
      [3, 4],
    ],
  );
});
