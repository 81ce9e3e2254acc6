/**
 * Pod churn on real clusters: the controller-manager's client QPS is what paces the ReplicaSet
 * controller's pod creates. Needs Docker and the node image; runs when CI or
 * TUNEPROOF_INTEGRATION=1 is set. About 5 minutes (two cluster bring-ups, and one worker
 * starting 100 pods on a busy 2-core host).
 *
 * Prediction, before measuring (client-go token bucket, full when the Deployment appears: the
 * first `burst` requests go at once, then one per 1/qps): N pods take at least
 * (N - burst) / qps seconds to be created. 100 pods: default 20/30 -> >= 3.5 s; the cm-qps-low
 * fixture 5/10 -> >= 18 s. The ReplicaSet controller's slow-start batches (1, 2, 4, ... pods,
 * each batch after the previous one returned) add only round trips, and its SuccessfulCreate
 * events (at most 25 per ReplicaSet: client-go's spam filter) and status updates take tokens
 * from the same bucket, so the creates can only take longer: about (100 + 25 - 10) / 5 = 23 s
 * with the low fixture, (100 + 25 - 30) / 20 = 4.75 s by default. Server timestamps have whole
 * seconds: a true span >= B reads as >= floor(B).
 */
import test from 'ava';
import { tokenBucketSeconds } from '../../../scenarios/pod-churn/churn-timeline.ts';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);
const pods = 100;

serial(
  'a controller-manager kube-api-qps below the default makes N pods take at least (N - burst) / qps to be created',
  async (t) => {
    t.timeout(15 * 60_000);
    const lowBound = tokenBucketSeconds(pods, 5, 10);
    const defaultBound = tokenBucketSeconds(pods, 20, 30);
    t.is(lowBound, 18);
    t.is(defaultBound, 3.5);

    // the smoke preset as is: every stage, startup latency included
    const base = await runSmoke('pod-churn', 'default');
    t.is(base.status, 'complete', base.error);
    t.is(metric(base, 'churn.pods_running'), pods, 'default: every pod ran');
    // the control plane's stages only: the low profile's run is about its creates
    const low = await runSmoke('pod-churn', fixtureProfile('cm-qps-low'), { until: 'scheduled' });
    t.is(low.status, 'complete', low.error);

    const created = (r: typeof base) => metric(r, 'churn.create.seconds');
    const deleted = (r: typeof base) => metric(r, 'churn.delete.seconds');
    t.log(
      `create: default ${created(base)} s (bound ${defaultBound} s), qps 5 burst 10 ${created(low)} s (bound ${lowBound} s)`,
    );
    t.log(`delete requests: default ${deleted(base)} s, low ${deleted(low)} s`);
    t.log(
      `schedule: default ${metric(base, 'churn.schedule.seconds')} s, low ${metric(low, 'churn.schedule.seconds')} s; startup p50/p99 (default) ${metric(base, 'pod.startup_latency.p50')}/${metric(base, 'pod.startup_latency.p99')} ms`,
    );
    t.true(created(low) >= Math.floor(lowBound), `low: created in >= ${lowBound} s`);
    t.true(created(base) >= Math.floor(defaultBound), `default: created in >= ${defaultBound} s`);
    // the default's bucket is not the low one's: it creates well inside the low bound
    t.true(created(base) < lowBound, `default creates in < ${lowBound} s`);
    // scale-down: the same bucket paces the ReplicaSet controller's deletes
    t.true(deleted(low) >= Math.floor(lowBound), `low: deletions requested over >= ${lowBound} s`);
    // the scheduler (default 50/100) keeps up with the slow creates: binding is not the limit
    t.true(metric(low, 'pod.created_to_scheduled.p90') <= 2000, 'low: pods bound within ~1 s');
  },
);
