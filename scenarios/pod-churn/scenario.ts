import { z } from 'zod';
import { applyManifest, core } from '../../clusters/kube.ts';
import { podsFitWorkers } from '../../harness/scenario/pods-fit-workers.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { formatSeconds, log } from '../../harness/util/log.ts';
import { WaitTimeout, waitFor } from '../../harness/util/wait-for.ts';
import { sandboxImageOf } from '../image-pull-storm/base-image.ts';
import type { ChurnPod } from './churn-timeline.ts';
import { churnNamespace, PodChurnWatch } from './churn-watch.ts';
import { churnSelector, deploymentsManifest, splitReplicas } from './deployments.ts';
import { verdicts } from './primary-metrics.ts';

const namespace = churnNamespace;

const parameters = z
  .object({
    /** Pods created at once (N), over all the Deployments. */
    pods: z.number().int().min(1).max(1000),
    /** Deployments the pods are spread over (each has its own ReplicaSet). */
    deployments: z.number().int().min(1).max(20).default(1),
    workers: z.number().int().min(1).max(5).default(1),
    /**
     * The stage every pod must reach before the scale-down: `running` (the default: startup
     * latency and the run stage are measured) or `scheduled` (only the control plane's stages:
     * create, schedule, delete; the kubelets still start the pods meanwhile, but nothing waits
     * on them, so a run takes a fraction of the time on a slow host).
     */
    until: z.enum(['running', 'scheduled']).default('running'),
    /** Give up waiting for a stage after this long (the run is then marked invalid). */
    timeoutSeconds: z.number().int().min(30).max(3600).default(300),
  })
  .strict()
  .refine((p) => p.pods >= p.deployments, {
    message: 'pods must be at least deployments (each Deployment runs a pod)',
    path: ['pods'],
  })
  .refine(...podsFitWorkers());
export type PodChurnParameters = z.infer<typeof parameters>;

/**
 * "How fast does the control plane turn N new pods into running ones, and remove them?" N pods
 * are created at once through Deployments (one apply), run, then the Deployments are scaled to
 * 0. Each pod's created -> scheduled -> running -> deletion requested comes from the API
 * server's timestamps; the create and delete spans are the ReplicaSet controller's (its client's
 * kube-api-qps/burst), the schedule span the scheduler's bindings, only running involves the
 * kubelets.
 */
export const podChurn: Scenario<typeof parameters> = {
  name: 'pod-churn',
  question: 'How fast does the control plane turn N new pods into running ones, and remove them?',
  parameters,
  presets: {
    // 100 pods on one worker (kubelet maxPods 110): the controller-manager's default 20 QPS,
    // burst 30, creates them in >= (100 - 30) / 20 = 3.5 s; a raised QPS moves that, a low one
    // (5, burst 10) makes it >= 18 s
    smoke: { pods: 100, deployments: 1, workers: 1, timeoutSeconds: 240 },
    // 200 pods over 4 Deployments on 2 workers: >= (200 - 30) / 20 = 8.5 s of creates by default
    standard: { pods: 200, deployments: 4, workers: 2, timeoutSeconds: 600 },
  },
  requires: ['nodeExec'],
  verdicts,
  workers: (p) => p.workers,
  measurements: () => [new PodChurnWatch()],
  async run(ctx) {
    const { cluster, writer, params, signal } = ctx;
    const kc = cluster.kubeConfig();
    const api = core(kc);
    const workers = cluster.nodes.filter((n) => n.role === 'worker');
    const image = await sandboxImageOf(workers[0] ?? cluster.nodes[0]!);
    log.info(`Churn pods run ${image} (the nodes' sandbox image: never pulled)`);

    // a kept cluster may hold an earlier run's namespace: the churn must start from no pods
    if (
      await api.readNamespace({ name: namespace }).then(
        () => true,
        () => false,
      )
    ) {
      await api.deleteNamespace({ name: namespace });
      await waitFor(`namespace ${namespace} gone`, { timeoutMs: 180_000, signal }, () =>
        api.readNamespace({ name: namespace }).then(
          () => ({ pending: 'terminating' }),
          () => true,
        ),
      );
    }
    await api.createNamespace({ body: { metadata: { name: namespace } } });
    await waitFor('the default ServiceAccount', { timeoutMs: 60_000, signal }, async () =>
      api.readNamespacedServiceAccount({ namespace, name: 'default' }).then(() => true),
    );

    const churn = ctx.measurement(PodChurnWatch);
    await churn.watch(kc, churnSelector, params.pods, params.until);
    const replicas = splitReplicas(params.pods, params.deployments);
    const timeoutMs = params.timeoutSeconds * 1000;
    try {
      await ctx.phase('create');
      writer.event({
        kind: 'load',
        name: 'pod churn',
        edge: 'start',
        detail: { pods: params.pods, deployments: params.deployments },
      });
      await log.step(
        `Creating ${params.deployments} Deployment(s) of ${params.pods} pods in all`,
        'Deployments created',
        () => applyManifest(kc, deploymentsManifest(replicas, image)),
      );
      const reached = (p: ChurnPod) =>
        params.until === 'running' ? p.runningMs !== undefined : p.scheduledMs !== undefined;
      const ran = await waitPods(
        `${params.pods} churn pods ${params.until}`,
        () => {
          const n = churn.pods().filter(reached).length;
          return n >= params.pods ? true : `${n}/${params.pods} ${params.until}`;
        },
        timeoutMs,
        signal,
      );
      if (!ran) return;

      await ctx.phase('delete');
      await log.step('Scaling the Deployments to 0', 'Scaled to 0', () =>
        applyManifest(
          kc,
          deploymentsManifest(
            replicas.map(() => 0),
            image,
          ),
        ),
      );
      // the ReplicaSet controller's deletes are what is measured; the kubelets' teardown of
      // the pods is not waited for (the namespace goes with everything in it)
      await waitPods(
        `deletion of ${params.pods} churn pods requested`,
        () => {
          const pods = churn.pods();
          const n = pods.filter((p) => p.deleteRequestedMs !== undefined).length;
          return n >= pods.length ? true : `${n}/${pods.length} deletions requested`;
        },
        timeoutMs,
        signal,
      );
      writer.event({ kind: 'load', name: 'pod churn', edge: 'end' });
    } finally {
      churn.stop();
      await api.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  },
};

/**
 * Polls until `done` says true, the time is up or the run is interrupted; says which (a churn
 * that does not finish is a result, not an error: gather marks the run invalid).
 */
async function waitPods(
  what: string,
  done: () => true | string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  let last = '';
  try {
    await waitFor(
      what,
      { timeoutMs, intervalMs: 250, signal, progress: (s) => log.info(s) },
      () => {
        const r = done();
        if (r === true) return true;
        last = r;
        return { pending: r };
      },
    );
    return true;
  } catch (e) {
    if (!(e instanceof WaitTimeout) && !signal.aborted) throw e;
    log.warn(
      `${signal.aborted ? 'interrupted' : `timed out after ${formatSeconds(timeoutMs)}`}: ${last}`,
    );
    return false;
  }
}
