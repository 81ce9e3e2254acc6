import { CommandError, TuneproofError } from '../../../harness/errors.ts';
import { log } from '../../../harness/util/log.ts';
import { docker } from '../../docker.ts';
import type {
  ClusterProvider,
  ClusterSpec,
  ClusterSummary,
  ProgressEvent,
} from '../../provider.ts';
import { markOwnership } from '../actions/mark-ownership.ts';
import type { KindCluster } from '../cluster.ts';
import { privilegedWorks } from '../node-container.ts';
import { KindProvider, type KindProviderOptions, kindCapabilities } from '../provider.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { checkRestored } from './check-restored.ts';
import { redateTokens } from './quiesce.ts';
import { type RestoredCluster, restoreSnapshot, SnapshotBusy } from './restore-snapshot.ts';
import { recipeDigest, snapshotKey } from './snapshot-key.ts';
import type { SnapshotKeyParts } from './snapshot-manifest.ts';
import {
  readSnapshot,
  removeSnapshot,
  type StoredSnapshot,
  snapshotUnusable,
  touchSnapshot,
} from './snapshot-store.ts';

class RestoreCheckFailed extends TuneproofError {}

/**
 * The kind provider, with clusters restored from a snapshot of the pristine cluster instead of
 * made by kubeadm each time (`fresh` turns that off). The first bring-up of a (node image,
 * profile, topology, recipe) makes the snapshot; every later one restores it and checks the
 * result (check-restored.ts). A snapshot whose restore fails or fails the check is discarded
 * and made again once; if that fails too, or the snapshot's subnet is busy, the cluster is
 * brought up with kubeadm. Each of these turns is logged and kept in the facts' bringUp notes.
 */
export class RestoringProvider implements ClusterProvider {
  readonly name = 'kind';
  readonly capabilities = kindCapabilities;
  readonly kind: KindProvider;
  readonly fresh: boolean;
  readonly #opts: KindProviderOptions;

  get nodeImage(): string {
    return this.#opts.nodeImage;
  }

  get kubernetesVersion(): string {
    return this.#opts.kubernetesVersion;
  }

  constructor(opts: KindProviderOptions & { fresh?: boolean }) {
    this.#opts = opts;
    this.kind = new KindProvider(opts);
    this.fresh = opts.fresh ?? false;
  }

  /** What the snapshot for `spec` is keyed by. */
  async keyParts(spec: Pick<ClusterSpec, 'profile' | 'workers'>): Promise<SnapshotKeyParts> {
    const image = await (await docker()).getImage(this.#opts.nodeImage).inspect();
    return {
      nodeImage: this.#opts.nodeImage,
      nodeImageId: image.Id,
      profile: spec.profile.name,
      profileDigest: spec.profile.digest,
      controlPlanes: 1,
      workers: spec.workers,
      privileged: await privilegedWorks(this.#opts.nodeImage),
      recipe: recipeDigest(),
    };
  }

  async create(
    spec: ClusterSpec,
    opts: { onProgress?: (e: ProgressEvent) => void } = {},
  ): Promise<KindCluster> {
    const t0 = performance.now();
    // simulated nodes are added to a fresh cluster: a snapshot holds none, nor their simulator
    if (this.fresh || spec.simulatedNodes) return this.#fresh(spec, opts, [], t0);
    const interrupted = new AbortController();
    const onSignal = () => interrupted.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      return await this.#restore(spec, opts, t0, interrupted.signal);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  async #restore(
    spec: ClusterSpec,
    opts: { onProgress?: (e: ProgressEvent) => void },
    t0: number,
    interrupted: AbortSignal,
  ): Promise<KindCluster> {
    const notes: string[] = [];
    const note = (text: string) => {
      notes.push(text);
      log.warn(text);
    };
    const keyParts = await this.keyParts(spec);
    const key = snapshotKey(keyParts);
    const short = key.slice(0, 12);
    let stored: StoredSnapshot | undefined = readSnapshot(key);
    const unusable = stored && (await snapshotUnusable(stored));
    if (stored && unusable) {
      note(`snapshot ${short} not used: ${unusable}; discarded`);
      await removeSnapshot(stored);
      stored = undefined;
    }
    let buildSeconds: number | undefined;
    for (let attempt = 1; attempt <= 2; attempt++) {
      if (!stored) {
        const tb = performance.now();
        stored = await buildSnapshot({ kind: this.kind, spec, key, keyParts });
        buildSeconds = (buildSeconds ?? 0) + (performance.now() - tb) / 1000;
      }
      let restored: RestoredCluster | undefined;
      try {
        restored = await log.step(
          `Restoring cluster ${spec.name} from snapshot ${short}`,
          `Cluster ${spec.name} restored`,
          () => restoreSnapshot(stored!, spec, { onProgress: opts.onProgress, facts: this.#opts }),
        );
        const { cluster } = restored;
        await redateTokens(
          cluster.kubeConfig(),
          stored.manifest.bootstrapTokens,
          restored.startedAt,
        );
        await markOwnership(cluster.kubeConfig(), spec, { replace: true });
        const check = await checkRestored(restored, stored.manifest, spec.profile);
        if (check.problems.length)
          throw new RestoreCheckFailed(`failed its check: ${check.problems.join('; ')}`);
        touchSnapshot(stored);
        cluster.setEffectiveConfig(check.effectiveConfig);
        const seconds = (performance.now() - t0) / 1000;
        cluster.setBringUp({
          mode: 'restore',
          seconds,
          snapshot: short,
          snapshotBuildSeconds: buildSeconds,
          restoreSeconds: restored.readySeconds,
          checkSeconds: check.seconds,
          notes,
        });
        log.info(
          `Cluster ${spec.name} restored from snapshot ${short}: Ready after ${restored.readySeconds.toFixed(1)}s, checked after ${(restored.readySeconds + check.seconds).toFixed(1)}s${buildSeconds ? ` (making the snapshot took ${buildSeconds.toFixed(0)}s)` : ''}`,
        );
        return cluster;
      } catch (e) {
        await restored?.cluster.delete();
        if (interrupted.aborted) throw e;
        if (e instanceof SnapshotBusy) {
          note(`${e.message}: this cluster is brought up with kubeadm instead`);
          return this.#fresh(spec, opts, notes, t0);
        }
        const why =
          e instanceof CommandError
            ? `${e.message.split(': command failed')[0]}: ${e.stderr.trim().split('\n').slice(-2).join(' ') || `exit ${e.exitStatus}`}`
            : e instanceof Error
              ? e.message.split('\n')[0]
              : String(e);
        note(
          `cluster restored from snapshot ${short} ${e instanceof RestoreCheckFailed ? why : `failed: ${why}`}; snapshot discarded`,
        );
        await removeSnapshot(stored);
        stored = undefined;
        if (attempt === 1) log.warn(`Making snapshot ${short} again with a fresh bring-up`);
      }
    }
    note('the snapshot made again failed as well: this cluster is brought up with kubeadm');
    return this.#fresh(spec, opts, notes, t0);
  }

  async #fresh(
    spec: ClusterSpec,
    opts: { onProgress?: (e: ProgressEvent) => void },
    notes: string[],
    t0: number,
  ): Promise<KindCluster> {
    const cluster = await this.kind.create(spec, opts);
    cluster.setBringUp({ mode: 'fresh', seconds: (performance.now() - t0) / 1000, notes });
    return cluster;
  }

  list(): Promise<ClusterSummary[]> {
    return this.kind.list();
  }

  delete(name: string): Promise<void> {
    return this.kind.delete(name);
  }
}
