/**
 * The pull storm's smoke preset on two real clusters of the same size with the same images,
 * one with serialized pulls and one with parallel pulls: the parallel storm must finish
 * measurably faster, and the pull timelines must show why (one pull at a time, queued pulls, vs
 * several at once). Needs Docker and the node image; runs when CI or TUNEPROOF_INTEGRATION=1 is
 * set. About 5 minutes (two cluster bring-ups dominate).
 */
import test from 'ava';
import type { RunResult } from '../../../harness/results/schema.ts';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);

/**
 * Parallel completion time must be at most this fraction of the serial one. Measured on the
 * 2-core machine with the smoke preset (6 images of 3 x 4 MiB, 8 Mbit/s per connection), five
 * alternating serial/parallel pairs: serial 28.2-31.4 s, parallel 10.3-13.4 s, ratios 0.35-0.45
 * (0.45 with other clusters using ~60% of the host CPU). A busy host slows the parallel pulls
 * (they contend for CPU; serialized ones mostly wait on the network), so the bound leaves room
 * for that without letting "no difference" pass.
 */
const maxRatio = 0.7;

function storm(run: RunResult) {
  return {
    completion: metric(run, 'storm.completion_seconds'),
    maxInFlight: metric(run, 'pulls.max_in_flight'),
    queuedMax: metric(run, 'pull.queued.max'),
    pulls: metric(run, 'pull.count'),
    errors: metric(run, 'pull.errors') + metric(run, 'pull.backoffs'),
    running: metric(run, 'storm.pods_running'),
  };
}

serial(
  'a pull storm with parallel image pulls completes measurably faster than with serialized pulls',
  async (t) => {
    t.timeout(25 * 60_000);
    const serialRun = await runSmoke('image-pull-storm', fixtureProfile('pull-serial'));
    t.is(serialRun.status, 'complete', serialRun.error);
    const parallelRun = await runSmoke('image-pull-storm', fixtureProfile('pull-parallel'));
    t.is(parallelRun.status, 'complete', parallelRun.error);
    const s = storm(serialRun);
    const p = storm(parallelRun);
    t.log(
      `serial: ${s.completion.toFixed(1)} s (max ${s.maxInFlight} pulls at once, a pull queued up to ${(s.queuedMax / 1000).toFixed(1)} s)`,
    );
    t.log(
      `parallel: ${p.completion.toFixed(1)} s (max ${p.maxInFlight} pulls at once), ratio ${(p.completion / s.completion).toFixed(2)}`,
    );
    for (const [name, r] of [
      ['serial', s],
      ['parallel', p],
    ] as const) {
      t.is(r.running, 6, `${name}: every pod Running`);
      t.is(r.pulls, 6, `${name}: every image pulled once`);
      t.is(r.errors, 0, `${name}: no pull errors or back-offs`);
    }
    // the mechanism, from the kubelet's own numbers (time with waiting - pull time): serialized
    // pulls queue behind each other, parallel ones start at once
    t.true(s.queuedMax > 2000, 'serialized: the last pulls queued behind the others');
    t.true(p.queuedMax < 1000, 'parallel: no pull waited for another');
    // and from the timelines: one pull at a time vs several
    t.is(s.maxInFlight, 1, 'serialized: one pull at a time');
    t.true(p.maxInFlight >= 3, 'parallel: several pulls at once');
    // the outcome
    t.true(
      p.completion <= maxRatio * s.completion,
      `parallel ${p.completion.toFixed(1)} s should be <= ${maxRatio} x serial ${s.completion.toFixed(1)} s`,
    );
  },
);
