import { z } from 'zod';
import { core } from '../../clusters/kube.ts';
import { podsFitWorkers } from '../../harness/scenario/pods-fit-workers.ts';
import type { Scenario } from '../../harness/scenario/types.ts';
import { formatSeconds, log } from '../../harness/util/log.ts';
import { sleep, WaitTimeout, waitFor } from '../../harness/util/wait-for.ts';
import { exportSandboxImage } from './base-image.ts';
import { KubeletPullMetrics } from './kubelet-pull-metrics.ts';
import { makeStormImage } from './oci-image.ts';
import { PodStorm, stormNamespace } from './pod-storm.ts';
import type { Observed, PodJson } from './pod-timeline.ts';
import { verdicts } from './primary-metrics.ts';
import { configureNodes, nodeImageOf, shapeRegistry, startRegistry } from './registry.ts';
import { placePods, stormPod } from './storm-pods.ts';

const namespace = stormNamespace;
const podLabels = { 'app.kubernetes.io/name': 'pull-storm' };

const parameters = z
  .object({
    /** Distinct images (N). */
    images: z.number().int().min(1).max(100),
    /** Pods created at once (P >= N: pods share images). */
    pods: z.number().int().min(1).max(500),
    /** Random layers per image, on top of the shared base (the node's pause image). */
    layers: z.number().int().min(1).max(32),
    /** Size of each random layer, MiB. */
    layerMiB: z.number().positive().max(512),
    /**
     * gzip (the default): layers as registries serve them, so each pull runs containerd's full
     * path, gunzip (unpigz) + digest check + untar, and parallel pulls run several of those at
     * once on the node's cores. The bytes are random, so gzip stores them (deflate level 0, the
     * same size any level would give) and the bandwidth caps apply to exactly the layer size.
     * `none`: plain tar layers, no decompression, to take unpack CPU out of the comparison.
     */
    compression: z.enum(['gzip', 'none']).default('gzip'),
    imagePullPolicy: z.enum(['IfNotPresent', 'Always']).default('IfNotPresent'),
    /** Cap on everything the registry sends, Mbit/s (TBF); 0: none. */
    bandwidthMbit: z.number().min(0).max(100_000).default(0),
    /**
     * Cap per connection, Mbit/s (HTB, connections hashed into buckets); 0: none. Stands for a
     * remote registry whose single connections are slow (round trips x window), which is
     * where serialized pulls hurt: one pull uses a few connections, parallel pulls use more.
     */
    connectionMbit: z.number().min(0).max(100_000).default(0),
    workers: z.number().int().min(1).max(5).default(1),
    /** Give up waiting for the storm after this long (the run is then marked invalid). */
    timeoutSeconds: z.number().int().min(30).max(7200).default(600),
  })
  .strict()
  .refine((p) => p.pods >= p.images, {
    message: 'pods must be at least images (each image is run by a pod)',
    path: ['pods'],
  })
  .refine(...podsFitWorkers());
export type ImagePullStormParameters = z.infer<typeof parameters>;

/**
 * "How fast do N pods with M distinct images become Running?" A registry on the cluster's
 * network serves freshly generated images (distinct random layers); P pods are created at once;
 * each pod's created -> scheduled -> pull (queued, running) -> Running comes from pod and event
 * watches, the storm's completion time from the first creation to the last Running.
 */
export const imagePullStorm: Scenario<typeof parameters> = {
  name: 'image-pull-storm',
  question: 'How fast do N pods with M distinct images become Running?',
  parameters,
  presets: {
    // 1 worker, 6 images of 3 x 4 MiB (3: the layers containerd fetches at once per pull by
    // default) behind 8 Mbit/s per connection: a pull is ~4 s of waiting on the network, which
    // parallel pulls overlap and serialized pulls queue; the aggregate (18 connections, 18 MB/s)
    // stays well inside what a busy 2-core host can unpack
    smoke: {
      images: 6,
      pods: 6,
      layers: 3,
      layerMiB: 4,
      connectionMbit: 8,
      workers: 1,
      timeoutSeconds: 300,
    },
    // 2 workers, 30 pods over 10 images of 4 x 4 MiB (each worker pulls all 10; the 20 pods
    // that share an image pull it again or find it present), 16 Mbit/s per connection under
    // 400 Mbit/s in all: serialized pulls use 3 connections per node, parallel ones up to 30
    standard: {
      images: 10,
      pods: 30,
      layers: 4,
      layerMiB: 4,
      connectionMbit: 16,
      bandwidthMbit: 400,
      workers: 2,
      timeoutSeconds: 900,
    },
  },
  requires: ['localRegistry', 'nodeExec'],
  verdicts,
  workers: (p) => p.workers,
  measurements: (p) => [new KubeletPullMetrics(), new PodStorm(p.timeoutSeconds)],
  async run(ctx) {
    const { cluster, writer, params, signal } = ctx;
    const kc = cluster.kubeConfig();
    const api = core(kc);
    const workers = cluster.nodes.filter((n) => n.role === 'worker');
    const targets = workers.length > 0 ? workers : cluster.nodes;

    await api.createNamespace({ body: { metadata: { name: namespace } } });
    // pods are refused until the namespace's default ServiceAccount exists
    await waitFor('the default ServiceAccount', { timeoutMs: 60_000, signal }, async () =>
      api.readNamespacedServiceAccount({ namespace, name: 'default' }).then(() => true),
    );

    const registry = await startRegistry(cluster, ctx.images.registry, signal);
    try {
      await log.step(
        `Pointing ${cluster.nodes.length} nodes' containerd at ${registry.host}`,
        'Nodes configured',
        () => configureNodes(cluster.nodes, registry.host),
      );
      const base = await exportSandboxImage(targets[0]!);
      const layerBytes = Math.round(params.layerMiB * 1024 * 1024);
      const refs: string[] = [];
      const tag =
        writer.runId
          .toLowerCase()
          .replace(/[^a-z0-9_.-]/g, '-')
          .slice(0, 100) || 'v1';
      writer.event({ kind: 'phase', name: 'push images', edge: 'start' });
      let pushedBytes = 0;
      let firstLayer: { repository: string; digest: string } | undefined;
      const pushMs = await log.step(
        `Generating and pushing ${params.images} images of ${params.layers} x ${params.layerMiB} MiB (${params.compression})`,
        'Images pushed',
        async () => {
          const t0 = performance.now();
          // two at a time: one image is generated while another is uploaded
          let next = 0;
          const pushOne = async (): Promise<void> => {
            for (let i = next++; i < params.images; i = next++) {
              if (signal.aborted) throw new Error('interrupted');
              const image = await makeStormImage({
                repository: `storm/image-${i}`,
                tag,
                layers: params.layers,
                layerBytes,
                compression: params.compression,
                base,
              });
              await registry.client.pushImage(image);
              pushedBytes += image.randomBytes;
              refs[i] = `${registry.host}/${image.repository}:${image.tag}`;
              if (i === 0)
                firstLayer = { repository: image.repository, digest: image.layers.at(-1)!.digest };
            }
          };
          await Promise.all([pushOne(), pushOne()]);
          return performance.now() - t0;
        },
      );
      writer.event({
        kind: 'phase',
        name: 'push images',
        edge: 'end',
        detail: { images: params.images, bytes: pushedBytes },
      });
      writer.metric({
        name: 'images.push_seconds',
        unit: 's',
        direction: 'none',
        value: pushMs / 1000,
      });
      writer.metric({
        name: 'images.bytes',
        unit: 'bytes',
        direction: 'none',
        value: pushedBytes,
        description: 'random layers of all images, as stored in the registry',
      });

      const shaping = {
        bandwidthMbit: params.bandwidthMbit,
        connectionMbit: params.connectionMbit,
      };
      if (shaping.bandwidthMbit > 0 || shaping.connectionMbit > 0) {
        await log.step(
          `Capping the registry at ${[
            shaping.bandwidthMbit ? `${shaping.bandwidthMbit} Mbit/s in all` : '',
            shaping.connectionMbit ? `${shaping.connectionMbit} Mbit/s per connection` : '',
          ]
            .filter(Boolean)
            .join(', ')}`,
          'Registry capped',
          async () =>
            shapeRegistry(cluster, registry.containerId, await nodeImageOf(cluster), shaping),
        );
        writer.event({ kind: 'note', name: 'registry capped', detail: { ...shaping } });
        // one download through the cap (one connection): shows the cap is in force
        if (firstLayer) {
          const d = await registry.client.timeBlobDownload(
            firstLayer.repository,
            firstLayer.digest,
          );
          const mbit = (d.bytes * 8) / 1e6 / d.seconds;
          const expected = Math.min(
            ...[shaping.bandwidthMbit, shaping.connectionMbit].filter((x) => x > 0),
          );
          log.info(
            `One download through the cap: ${mbit.toFixed(1)} Mbit/s (cap ${expected} Mbit/s)`,
          );
          writer.metric({
            name: 'registry.measured_mbit',
            unit: 'per_s',
            direction: 'none',
            value: mbit,
            description: `Mbit/s of one blob download from the host through the cap (${expected})`,
          });
          if (mbit > 1.5 * expected)
            writer.markInvalid(
              `the registry bandwidth cap did not take: one download ran at ${mbit.toFixed(0)} Mbit/s, cap ${expected} Mbit/s`,
            );
        }
      }

      // the storm
      const storm = ctx.measurement(PodStorm);
      await storm.watch(
        kc,
        targets.map((n) => n.name),
      );
      const placements = placePods(
        params.pods,
        targets.map((n) => n.name),
        refs,
      );
      writer.event({
        kind: 'load',
        name: 'pod storm',
        edge: 'start',
        detail: { pods: params.pods, images: params.images, nodes: targets.length },
      });
      try {
        await log.step(`Creating ${params.pods} pods at once`, 'Pods created', () =>
          Promise.all(
            placements.map((p) =>
              api.createNamespacedPod({
                namespace,
                body: stormPod(p, params.imagePullPolicy, podLabels),
              }),
            ),
          ),
        );
        const done = await log.step(
          `Waiting <= ${params.timeoutSeconds}s for ${params.pods} pods Running`,
          'Storm over',
          () => waitRunning(storm.pods, params.pods, params.timeoutSeconds * 1000, signal),
        );
        // events of the last pulls may trail the pods' status
        await sleep(2000, signal);
        writer.event({ kind: 'load', name: 'pod storm', edge: 'end', detail: { complete: done } });
      } finally {
        storm.stop();
      }
    } finally {
      await registry.removal.run();
    }
  },
};

/**
 * Polls the watched pods until `count` are Running, the time is up or the run is interrupted;
 * says which (a storm that does not finish is a result, not an error).
 */
async function waitRunning(
  pods: readonly Observed<PodJson>[],
  count: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<boolean> {
  const running = () =>
    new Set(
      pods.filter((p) => p.object.status?.phase === 'Running').map((p) => p.object.metadata?.name),
    ).size;
  try {
    await waitFor(
      `${count} storm pods Running`,
      { timeoutMs, intervalMs: 250, signal, progress: (s) => log.info(s) },
      () => (running() >= count ? true : { pending: `${running()}/${count} Running` }),
    );
    return true;
  } catch (e) {
    if (!(e instanceof WaitTimeout) && !signal.aborted) throw e;
    log.warn(
      `${signal.aborted ? 'interrupted' : `timed out after ${formatSeconds(timeoutMs)}`}: ${running()}/${count} storm pods Running`,
    );
    return false;
  }
}
