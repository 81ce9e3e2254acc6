/**
 * Pod churn on real clusters: the controller-manager's client QPS paces the ReplicaSet
 * controller's pod creates, and the scheduler's paces its bindings. Needs Docker and the node
 * image; runs when CI or TUNEPROOF_INTEGRATION=1 is set. About 5 minutes (three cluster
 * bring-ups; the runs with `until: scheduled` do not wait on the kubelets, which start 100 pods
 * in 60-110 s on a busy 2-core host).
 *
 * Prediction, before measuring (client-go token bucket, full when the Deployment appears: the
 * first `burst` requests go at once, then one per 1/qps): N pods take at least
 * (N - burst) / qps seconds to be created. 100 pods: default 20/30 -> >= 3.5 s; the cm-qps-low
 * fixture 5/10 -> >= 18 s; tuned 100/100 -> >= 0 s. The ReplicaSet controller's slow-start
 * batches (1, 2, 4, ... pods, each batch after the previous one returned) add only round trips,
 * and its SuccessfulCreate events (at most 25 per ReplicaSet: client-go's spam filter) and status
 * updates take tokens from the same bucket, so the creates can only take longer: about
 * (100 + 25 - 10) / 5 = 23 s with the low fixture, (100 + 25 - 30) / 20 = 4.75 s by default, and
 * (125 - 100) / 100 = 0.25 s plus round trips with tuned. The scheduler binds through its own
 * bucket (its events use a second client): scheduler-qps-low (5/10) binds 100 pods in >= 18 s
 * while the default controller-manager creates them in about 4-5 s. Server timestamps have whole
 * seconds: a true span >= B reads as >= floor(B).
 */
import test from 'ava';
import { tokenBucketSeconds } from '../../../scenarios/pod-churn/churn-timeline.ts';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric, runSmoke } from '../support/run-smoke.ts';

const serial = integrationTest(test);
const pods = 100;
const lowBound = tokenBucketSeconds(pods, 5, 10);
const defaultBound = tokenBucketSeconds(pods, 20, 30);

serial(
  'a controller-manager kube-api-qps below the default makes N pods take at least (N - burst) / qps to be created, a raised one does not',
  async (t) => {
    t.timeout(15 * 60_000);
    t.is(lowBound, 18);
    t.is(defaultBound, 3.5);
    // the control plane's stages only: this run is about the creates
    const low = await runSmoke('pod-churn', fixtureProfile('cm-qps-low'), { until: 'scheduled' });
    t.is(low.status, 'complete', low.error);
    // the smoke preset as is: every stage, startup latency included
    const tuned = await runSmoke('pod-churn', 'tuned');
    t.is(tuned.status, 'complete', tuned.error);
    t.is(metric(tuned, 'churn.pods_running'), pods, 'tuned: every pod ran');

    const created = (r: typeof low) => metric(r, 'churn.create.seconds');
    const deleted = (r: typeof low) => metric(r, 'churn.delete.seconds');
    t.log(
      `create: qps 5 burst 10 ${created(low)} s (bound ${lowBound} s, ~23 s with events), tuned ${created(tuned)} s (default's bound ${defaultBound} s)`,
    );
    t.log(`delete requests: low ${deleted(low)} s, tuned ${deleted(tuned)} s`);
    t.log(
      `schedule: low ${metric(low, 'churn.schedule.seconds')} s, tuned ${metric(tuned, 'churn.schedule.seconds')} s; tuned startup p50/p99 ${metric(tuned, 'pod.startup_latency.p50')}/${metric(tuned, 'pod.startup_latency.p99')} ms`,
    );
    t.true(created(low) >= Math.floor(lowBound), `low: created in >= ${lowBound} s`);
    // scale-down: the same bucket paces the ReplicaSet controller's deletes
    t.true(deleted(low) >= Math.floor(lowBound), `low: deletions requested over >= ${lowBound} s`);
    // the scheduler (default 50/100) keeps up with the slow creates: binding is not the limit
    t.true(metric(low, 'pod.created_to_scheduled.p90') <= 2000, 'low: pods bound within ~1 s');
    // a raised QPS: faster than the default could ever be
    t.true(created(tuned) < Math.floor(defaultBound), `tuned: created in < ${defaultBound} s`);
  },
);

serial(
  'a scheduler kube-api-qps below the default makes N pods take at least (N - burst) / qps to be bound',
  async (t) => {
    t.timeout(10 * 60_000);
    const run = await runSmoke('pod-churn', fixtureProfile('scheduler-qps-low'), {
      until: 'scheduled',
    });
    t.is(run.status, 'complete', run.error);
    const created = metric(run, 'churn.create.seconds');
    const scheduled = metric(run, 'churn.schedule.seconds');
    t.log(
      `create ${created} s (default controller-manager), schedule ${scheduled} s (bound ${lowBound} s)`,
    );
    t.true(scheduled >= Math.floor(lowBound), `bound over >= ${lowBound} s`);
    t.true(created < lowBound, 'the creates are not what held the bindings back');
    // pods wait for the scheduler: the last ones wait about the whole span
    t.true(metric(run, 'pod.created_to_scheduled.max') >= 10_000, 'the last pods waited >= 10 s');
  },
);
