/**
 * node-unreachable on a real cluster with test/fixtures/profiles/unreachable-fast.yaml: a worker
 * cut off the network is marked NotReady, tainted and its pods evicted inside the window the
 * profile predicts, and the client behind the proxy sees errors only around the fault. Needs
 * Docker and the node image; runs when CI or TUNEPROOF_INTEGRATION=1 is set (about 6 minutes).
 */
import test from 'ava';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);

// the fixture profile
const graceSeconds = 20; // node-monitor-grace-period
const monitorPeriodSeconds = 2; // node-monitor-period
const tolerationSeconds = 30; // default-unreachable-toleration-seconds
// the kubelet renews its lease every nodeLeaseDurationSeconds / 4 = 40 / 4 = 10 s (default), so
// its last heartbeat lands 0-10 s before the fault (or just after, a status update in flight
// during the injection) and the grace period runs from there
const leaseRenewSeconds = 10;
// Slack: server timestamps (condition transitions, taint timeAdded) are whole seconds, so up to
// 1 s early; the node controller notices a renewal through its informer and checks every
// node-monitor-period; the taint eviction controller acts a little after its deadline. Measured
// on this 2-core host with other engineers' clusters running (host CPU 30-80% busy outside the
// run), 8 runs with a 20 s grace period: Ready=Unknown 19.3-23.6 s after the last lease renewal
// (grace - 0.7 to + 3.6 s), first eviction 30-31 s after the taint. The bounds below allow
// grace + node-monitor-period + 5 s, i.e. 3.4 s more than the worst seen.
const slackSeconds = 5;

serial(
  'a partitioned worker is evicted inside the window its profile predicts, and users see errors only around the fault',
  async (t) => {
    t.timeout(20 * 60_000);
    // HAProxy (no retries): every request sent to a cut-off pod fails, so errors show for as
    // long as the pods stay endpoints; nginx retries them (node-unreachable-nginx.test.ts)
    const run = await runSmoke('node-unreachable', fixtureProfile('unreachable-fast'), {
      fault: 'network',
      proxy: 'haproxy',
    });
    t.is(run.status, 'complete', run.error);
    const m = (name: string, labels: Record<string, string> = {}) => metric(run, name, labels);

    const notReady = m('unreachable.time_to_not_ready');
    const afterBeat = m('unreachable.not_ready_after_last_heartbeat');
    const firstEviction = m('unreachable.time_to_first_eviction');
    const afterTaint = m('unreachable.eviction_after_taint');
    const endpointsDrop = m('unreachable.time_to_endpoints_drop');
    const recovery = m('client.time_to_recovery');
    t.log(
      `NotReady ${notReady}s (last heartbeat + ${afterBeat}s), endpoints drop ${endpointsDrop}s, ` +
        `first eviction ${firstEviction}s (taint + ${afterTaint}s), replacements Ready ` +
        `${m('unreachable.time_to_replacements_ready')}s, client errors ${m('client.errors', { window: 'fault' })} ` +
        `during the fault (502 ${m('client.responses', { window: 'fault', status: '502' })}, 503 ` +
        `${m('client.responses', { window: 'fault', status: '503' })}, 504 ` +
        `${m('client.responses', { window: 'fault', status: '504' })}), recovered ${recovery}s after the fault`,
    );

    // the node controller: Ready=Unknown one grace period after the last heartbeat
    t.true(afterBeat >= graceSeconds - 1, `NotReady ${afterBeat}s after the last heartbeat`);
    t.true(afterBeat <= graceSeconds + monitorPeriodSeconds + slackSeconds);
    t.true(notReady >= graceSeconds - leaseRenewSeconds - 1);
    t.true(notReady <= graceSeconds + monitorPeriodSeconds + slackSeconds);
    // the taint eviction controller: pods go one toleration after the NoExecute taint
    t.true(afterTaint >= tolerationSeconds - 1, `evicted ${afterTaint}s after the taint`);
    t.true(afterTaint <= tolerationSeconds + slackSeconds);
    const earliest = graceSeconds - leaseRenewSeconds + tolerationSeconds - 1;
    const latest = graceSeconds + monitorPeriodSeconds + tolerationSeconds + slackSeconds;
    t.true(
      firstEviction >= earliest && firstEviction <= latest,
      `first eviction ${firstEviction}s after the fault, predicted ${earliest}-${latest}s`,
    );
    t.is(m('unreachable.evicted_pods'), 2, 'both canary pods of the worker (4 over 2 workers)');
    t.true(m('unreachable.time_to_replacements_ready') <= firstEviction + 30);
    t.true(m('unreachable.time_to_node_ready_after_heal') <= 60);

    // the client: nothing before the fault, errors while the node's pods were still endpoints,
    // none once the proxy had re-resolved the Service, none after the heal
    t.is(m('client.errors', { window: 'warmup' }), 0, 'no errors before the fault');
    t.true(m('client.errors', { window: 'fault' }) > 0, 'the cut-off pods failed requests');
    t.true(
      recovery <= endpointsDrop + 1 + 2 + slackSeconds,
      `errors ended ${recovery}s after the fault; endpoints dropped at ${endpointsDrop}s`,
    );
    t.is(m('client.errors', { window: 'after' }), 0, 'no errors after the heal');
    t.true(m('client.success_ratio', { window: 'after' }) === 1);
  },
);
