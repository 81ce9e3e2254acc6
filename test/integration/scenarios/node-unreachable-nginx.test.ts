/**
 * node-unreachable behind nginx (ingress-nginx's defaults: 3 tries, 5 s connect timeout) on a
 * real cluster with test/fixtures/profiles/unreachable-fast.yaml: a worker cut off the network,
 * users see 502s, and the client counts as many 502s as nginx logged. Needs Docker and the node
 * image; runs when CI or TUNEPROOF_INTEGRATION=1 is set (about 4 minutes).
 *
 * Prediction. nginx retries a failed connect on the next server it has not tried yet and
 * answers 502 (504 if the last try timed out) only when all its tries failed. With the smoke
 * preset's 4 replicas, 2 on the cut-off worker, a retry always reaches a live pod: users see
 * latency, no 502. With 6 replicas, 3 on the cut-off worker, a request fails when all three
 * tries land on the three dead pods: with the round-robin cursor moved on by the other requests
 * between tries, about 1/2 * 2/5 * 1/4 = 5% of the requests sent while the dead pods are
 * endpoints (fault -> NotReady + ~1 s re-resolve, 10-30 s with the fixture's 20 s grace period,
 * at 20/s: 200-600 requests), so about 10-30 answers of 502 or 504. A cut-off pod's connect
 * fails with EHOSTUNREACH once ARP gives up (~3 s, under the 5 s connect timeout): mostly 502.
 */
import test from 'ava';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);

serial(
  'behind nginx a partitioned worker shows as 502s, and the client counts what nginx logged',
  async (t) => {
    t.timeout(15 * 60_000);
    const run = await runSmoke('node-unreachable', fixtureProfile('unreachable-fast'), {
      fault: 'network',
      proxy: 'nginx',
      replicas: 6,
      // heal before the 30 s toleration evicts anything: the errors end when endpoints drop
      heal: 'timer',
      maxFaultSeconds: 40,
    });
    t.is(run.status, 'complete', run.error);
    const m = (name: string, labels: Record<string, string> = {}) => metric(run, name, labels);
    const status = (view: 'client' | 'proxy', s: string, window = 'all') =>
      m(`${view}.responses`, { window, status: s });
    t.log(
      `client: 502 ${status('client', '502')}, 503 ${status('client', '503')}, 504 ${status('client', '504')}, ` +
        `timeouts ${status('client', 'timeout')}, conn errors ${status('client', 'conn_error')} of ` +
        `${m('client.requests', { window: 'all' })}; nginx: 502 ${status('proxy', '502')}, 503 ` +
        `${status('proxy', '503')}, 504 ${status('proxy', '504')}, 499 ${status('proxy', 'client_closed')} of ` +
        `${m('proxy.requests', { window: 'all' })}, retried ${m('proxy.retried_requests', { window: 'all' })}, ` +
        `failed tries ${m('proxy.upstream_failures', { window: 'all', kind: 'error' })} error / ` +
        `${m('proxy.upstream_failures', { window: 'all', kind: 'timeout' })} timeout; endpoints dropped ` +
        `${m('unreachable.time_to_endpoints_drop')}s after the fault`,
    );

    t.is(m('client.errors', { window: 'warmup' }), 0, 'no errors before the fault');
    // nginx tried the next server for the cut-off pods' requests
    t.true(m('proxy.retried_requests', { window: 'fault' }) > 0);
    t.true(m('proxy.upstream_failures', { window: 'fault', kind: 'error' }) > 0);
    // users saw 502s during the fault, and exactly the ones nginx answered (1% allowed)
    const client502 = status('client', '502');
    const proxy502 = status('proxy', '502');
    t.true(client502 > 0, 'users saw 502s');
    t.true(
      Math.abs(client502 - proxy502) <= Math.max(1, 0.01 * proxy502),
      `client 502 ${client502} vs nginx 502 ${proxy502}`,
    );
    t.is(status('client', '504'), status('proxy', '504'), 'and the 504s nginx answered');
    // every request of the load reached nginx and was logged
    t.is(m('proxy.requests', { window: 'all' }), m('client.requests', { window: 'all' }));
    t.is(m('client.errors', { window: 'after' }), 0, 'no errors after the heal');
  },
);
