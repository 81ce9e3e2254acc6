import test from 'ava';
import { integrationTest } from '../support/integration.ts';
import { metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);

serial(
  'throttling etcd writes raises WAL fsync p99 by orders of magnitude, and it comes back after release',
  async (t) => {
    t.timeout(10 * 60_000);
    const run = await runSmoke('etcd-disk-stall', 'default');
    t.is(run.status, 'complete', run.error);
    const before = metric(run, 'etcd.wal_fsync.p99', { phase: 'before' });
    const during = metric(run, 'etcd.wal_fsync.p99', { phase: 'during' });
    const after = metric(run, 'etcd.wal_fsync.p99', { phase: 'after' });
    t.log(
      `WAL fsync p99: before ${before.toFixed(1)} ms, during ${during.toFixed(1)} ms, after ${after.toFixed(1)} ms`,
    );
    t.true(during >= 10 * before, 'at least ten times slower under the throttle');
    t.true(during >= 1000, 'at 1 write IOPS an fsync takes seconds');
    t.true(after < during / 10, 'back to normal after release');
    t.true(
      metric(run, 'api.errors', { phase: 'during' }) +
        metric(run, 'api.latency.p99', { phase: 'during' }) >
        metric(run, 'api.latency.p99', { phase: 'before' }),
      'the API felt it',
    );
    t.is(metric(run, 'api.errors', { phase: 'before' }), 0, 'no errors before the fault');
  },
);
