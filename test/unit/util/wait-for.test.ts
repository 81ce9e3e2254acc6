import test from 'ava';
import { sleep, WaitTimeout, waitFor } from '../../../harness/util/wait-for.ts';

test('waitFor returns the first value; pending and thrown checks are "not yet"', async (t) => {
  let calls = 0;
  const v = await waitFor('three calls', { timeoutMs: 5000, intervalMs: 10 }, async () => {
    calls++;
    if (calls === 1) throw new Error('API starting');
    if (calls === 2) return { pending: 'almost' };
    return 'done';
  });
  t.is(v, 'done');
  t.is(calls, 3);
});

test('waitFor gives up at its deadline, naming what it awaited and the last pending state', async (t) => {
  const t0 = performance.now();
  const e = await t.throwsAsync(
    waitFor('the moon', { timeoutMs: 200, intervalMs: 50 }, () => ({ pending: 'still waning' })),
    { instanceOf: WaitTimeout },
  );
  t.regex(e!.message, /waiting for the moon: still waning/);
  const elapsedMs = performance.now() - t0;
  t.true(elapsedMs >= 200 && elapsedMs < 1000, `${elapsedMs} ms`);
});

test("the run's signal ends a wait and a sleep at once", async (t) => {
  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  const t0 = performance.now();
  await t.throwsAsync(
    waitFor('never', { timeoutMs: 60_000, signal: abort.signal }, () => undefined),
    { name: 'AbortError' },
  );
  await t.throwsAsync(sleep(60_000, abort.signal), { name: 'AbortError' });
  t.true(performance.now() - t0 < 2000);
});
