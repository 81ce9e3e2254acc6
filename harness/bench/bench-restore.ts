import { max, median, min } from 'simple-statistics';
import { docker } from '../../clusters/docker.ts';
import type { KindCluster } from '../../clusters/kind/cluster.ts';
import { RestoringProvider } from '../../clusters/kind/snapshot/index.ts';
import { labelKeys } from '../../clusters/labels.ts';
import type { ResolvedProfile } from '../profiles/index.ts';
import { newClusterName, newRunId } from '../util/ids.ts';
import { log } from '../util/log.ts';

export interface BenchSample {
  mode: 'fresh' | 'restore';
  /** Seconds to every node and kube-system pod Ready (restore), or the whole kubeadm bring-up. */
  readySeconds: number;
  /** Seconds to the cluster a run gets: Ready and read back (fresh), Ready and checked (restore). */
  deliveredSeconds: number;
  /** Memory of the cluster's node containers once delivered (cgroup usage less page cache). */
  memoryBytes: number;
}

export interface BenchSummary {
  mode: 'fresh' | 'restore';
  n: number;
  ready: { min: number; median: number; max: number };
  delivered: { min: number; median: number; max: number };
  memoryMedianBytes: number;
}

/** Memory of a cluster's containers: usage less page cache, as `docker stats` shows it. */
async function clusterMemory(cluster: string): Promise<number> {
  const d = await docker();
  const containers = await d.listContainers({
    filters: { label: [`${labelKeys.cluster}=${cluster}`] },
  });
  let total = 0;
  for (const c of containers) {
    const s = (await d.getContainer(c.Id).stats({ stream: false })) as {
      memory_stats?: { usage?: number; stats?: { cache?: number; total_inactive_file?: number } };
    };
    const m = s.memory_stats ?? {};
    total += (m.usage ?? 0) - (m.stats?.total_inactive_file ?? m.stats?.cache ?? 0);
  }
  return total;
}

async function one(
  provider: RestoringProvider,
  profile: ResolvedProfile,
  workers: number,
): Promise<BenchSample> {
  const mode = provider.fresh ? 'fresh' : 'restore';
  let cluster: KindCluster | undefined;
  try {
    cluster = await provider.create({
      runId: newRunId(),
      name: newClusterName('tpb'),
      profile,
      workers,
    });
    const b = cluster.facts().bringUp!;
    if (b.mode !== mode || b.snapshotBuildSeconds !== undefined)
      throw new Error(
        `bench ${mode} sample came up as ${b.mode}${b.snapshotBuildSeconds ? ' with a snapshot build' : ''}: ${b.notes.join('; ')}`,
      );
    return {
      mode,
      readySeconds: b.restoreSeconds ?? b.seconds,
      deliveredSeconds: b.seconds,
      memoryBytes: await clusterMemory(cluster.name),
    };
  } finally {
    await cluster?.delete();
  }
}

export function summarise(
  samples: readonly BenchSample[],
  mode: BenchSample['mode'],
): BenchSummary {
  const of = samples.filter((s) => s.mode === mode);
  const stats = (xs: number[]) => ({ min: min(xs), median: median(xs), max: max(xs) });
  return {
    mode,
    n: of.length,
    ready: stats(of.map((s) => s.readySeconds)),
    delivered: stats(of.map((s) => s.deliveredSeconds)),
    memoryMedianBytes: median(of.map((s) => s.memoryBytes)),
  };
}

/**
 * Restore against kubeadm, side by side in one process on one machine: a warm-up of each (the
 * first restore makes the snapshot if there is none; neither warm-up is counted), then `runs`
 * pairs, alternating which goes first so that neither always follows the other's teardown.
 */
export async function benchRestore(opts: {
  nodeImage: string;
  kubernetesVersion: string;
  profile: ResolvedProfile;
  workers: number;
  runs: number;
}): Promise<{ samples: BenchSample[]; summaries: BenchSummary[] }> {
  const base = { nodeImage: opts.nodeImage, kubernetesVersion: opts.kubernetesVersion };
  const fresh = new RestoringProvider({ ...base, fresh: true });
  const restore = new RestoringProvider(base);
  log.info('Bench warm-up: one restore (makes the snapshot if missing) and one fresh bring-up');
  await one(restore, opts.profile, opts.workers).catch(async (e: Error) => {
    // the warm-up may have had to make the snapshot: that is what it is for
    if (!/snapshot build/.test(e.message)) throw e;
  });
  await one(fresh, opts.profile, opts.workers);
  const samples: BenchSample[] = [];
  for (let i = 0; i < opts.runs; i++) {
    const order = i % 2 === 0 ? [fresh, restore] : [restore, fresh];
    for (const p of order) {
      const s = await one(p, opts.profile, opts.workers);
      log.info(
        `bench ${i + 1}/${opts.runs} ${s.mode}: Ready ${s.readySeconds.toFixed(1)}s, delivered ${s.deliveredSeconds.toFixed(1)}s, ${(s.memoryBytes / 1e6).toFixed(0)} MB`,
      );
      samples.push(s);
    }
  }
  return { samples, summaries: [summarise(samples, 'fresh'), summarise(samples, 'restore')] };
}
