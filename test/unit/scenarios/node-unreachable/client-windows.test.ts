import test from 'ava';
import {
  type ClientRequest,
  errorCount,
  statusCount,
  summariseClient,
  windowOf,
} from '../../../../scenarios/node-unreachable/client-windows.ts';

const T = Date.parse('2026-01-01T00:01:00.000Z');

/** 10 requests/s from T-20 s to T+60 s; 503s for half of them from T+0.5 s to T+18 s. */
function requests(): ClientRequest[] {
  const out: ClientRequest[] = [];
  for (let ms = -20_000; ms < 60_000; ms += 100) {
    const failing = ms >= 500 && ms < 18_000 && (ms / 100) % 2 === 0;
    out.push({ startMs: T + ms, status: failing ? '503' : '2xx', durationMs: failing ? 2000 : 3 });
  }
  return out;
}

test("requests fall into the window they were sent in; one in flight at the fault is the fault's", (t) => {
  const at = { faultMs: T, healMs: T + 40_000 };
  const r = (startOffset: number, durationMs = 5) => ({ startMs: T + startOffset, durationMs });
  t.is(windowOf(r(-10), at), 'warmup');
  t.is(windowOf(r(-500, 10_000), at), 'fault', 'sent before the fault, hung through it');
  t.is(windowOf(r(0), at), 'fault');
  t.is(windowOf(r(39_999), at), 'fault');
  t.is(windowOf(r(40_000), at), 'after');
  t.is(windowOf(r(90_000), { faultMs: T }), 'fault', 'never healed: the fault lasts to the end');
});

test('counts per window, error seconds and recovery', (t) => {
  const s = summariseClient(requests(), { faultMs: T, healMs: T + 40_000 });
  t.is(errorCount(s.counts.warmup), 0);
  t.is(s.counts.warmup.get('2xx'), 200);
  t.is(statusCount(s.counts.fault, '503'), 87);
  t.is(errorCount(s.counts.fault), 87);
  t.is(errorCount(s.counts.after), 0);
  t.is(errorCount(s.counts.all), 87);
  t.is(s.counts.all.get('2xx'), 800 - 87);
  t.is(s.errorSeconds, 18);
  t.is(s.firstErrorMs, T + 600);
  t.is(s.lastErrorMs, T + 17_800);
  t.is(s.recoveredMs, T + 18_000);
  t.is(s.perSecond.get(T)?.get('503'), 2);
  t.is(s.perSecond.get(T + 1000)?.get('503'), 5);
});

test('errors until the end: not recovered', (t) => {
  const r = requests().map((x) => (x.startMs > T + 50_000 ? { ...x, status: 'conn_error' } : x));
  const s = summariseClient(r, { faultMs: T, healMs: T + 40_000 });
  t.is(s.recoveredMs, undefined);
  t.is(statusCount(s.counts.after, 'conn_error'), 99);
});

test('no errors at all: nothing to recover from', (t) => {
  const r = requests().map((x) => ({ ...x, status: '2xx' }));
  const s = summariseClient(r, { faultMs: T, healMs: T + 40_000 });
  t.is(s.errorSeconds, 0);
  t.is(s.lastErrorMs, undefined);
  t.is(s.recoveredMs, undefined);
});

test('"other" counts errors that have no status of their own', (t) => {
  const counts = new Map([
    ['2xx', 10],
    ['404', 1],
    ['4xx', 2],
    ['502', 3],
    ['5xx', 4],
  ]);
  t.is(statusCount(counts, 'other'), 3);
  t.is(statusCount(counts, '502'), 3);
  t.is(statusCount(counts, '5xx'), 4);
  t.is(errorCount(counts), 10);
});
