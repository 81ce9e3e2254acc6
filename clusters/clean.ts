import { log } from '../harness/util/log.ts';
import { sleep } from '../harness/util/wait-for.ts';
import { thawNestedFreezers } from './cgroup-freezer.ts';
import { docker } from './docker.ts';
import { labelKeys, toolLabel } from './labels.ts';

export interface CleanFilter {
  run?: string;
  cluster?: string;
}

export interface CleanReport {
  containers: string[];
  networks: string[];
  volumes: string[];
}

function labelFilter(f: CleanFilter): string[] {
  const label = [`${labelKeys.tool}=${toolLabel}`];
  if (f.run) label.push(`${labelKeys.run}=${f.run}`);
  if (f.cluster) label.push(`${labelKeys.cluster}=${f.cluster}`);
  return label;
}

/**
 * Removes every container, network and volume that carries tuneproof's labels (narrowed to a
 * run or cluster). Unlabelled objects are never touched. Containers first (they hold the
 * networks and volumes), then networks, then volumes.
 */
export async function removeLabelled(filter: CleanFilter = {}): Promise<CleanReport> {
  const d = await docker();
  const label = labelFilter(filter);
  const report: CleanReport = { containers: [], networks: [], volumes: [] };
  const containers = await d.listContainers({ all: true, filters: { label } });
  await Promise.all(
    containers.map(async (c) => {
      const name = c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12);
      try {
        // a paused container cannot be removed until it is unpaused
        if (c.State === 'paused') await d.getContainer(c.Id).unpause();
        // a nested cgroup frozen by the node's own runc blocks the kill (cgroup-freezer.ts)
        const thawed = await thawNestedFreezers(c.Id);
        if (thawed.length > 0) log.debug(`${name}: thawed ${thawed.length} frozen cgroups`);
        await d.getContainer(c.Id).remove({ force: true, v: true });
        report.containers.push(name);
      } catch (e) {
        // gone already (removed by a concurrent sweep or by testcontainers): nothing to do
        if ((e as { statusCode?: number }).statusCode === 404) return;
        log.warn(`could not remove container ${name}: ${(e as Error).message}`);
      }
    }),
  );
  for (const n of await d.listNetworks({ filters: { label } })) {
    // a container Docker is still tearing down keeps its endpoint for a moment: retry briefly
    for (let attempt = 1; ; attempt++) {
      try {
        await d.getNetwork(n.Id).remove();
        report.networks.push(n.Name);
        break;
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) break;
        if (attempt >= 5) {
          log.warn(`could not remove network ${n.Name}: ${(e as Error).message}`);
          break;
        }
        await sleep(1000);
      }
    }
  }
  const { Volumes } = await d.listVolumes({ filters: { label } });
  for (const v of Volumes ?? []) {
    try {
      await d.getVolume(v.Name).remove();
      report.volumes.push(v.Name);
    } catch (e) {
      log.warn(`could not remove volume ${v.Name}: ${(e as Error).message}`);
    }
  }
  return report;
}

/**
 * `removeLabelled`, swept again until a sweep leaves no container behind (at most `sweeps`,
 * `pauseMs` apart): after a kill -9 Docker goes on creating or starting the containers the dead
 * process had asked for, and one of them can appear just after the first listing. Returns what
 * all sweeps removed and whether anything was still left.
 */
export async function removeLabelledUntilGone(
  filter: CleanFilter = {},
  opts: { sweeps?: number; pauseMs?: number } = {},
): Promise<CleanReport & { left: number }> {
  const d = await docker();
  const total: CleanReport = { containers: [], networks: [], volumes: [] };
  const add = (r: CleanReport) => {
    total.containers.push(...r.containers);
    total.networks.push(...r.networks);
    total.volumes.push(...r.volumes);
  };
  const sweeps = opts.sweeps ?? 20;
  let left = 0;
  for (let sweep = 0; sweep < sweeps; sweep++) {
    add(await removeLabelled(filter));
    await sleep(opts.pauseMs ?? 1500);
    left = (await d.listContainers({ all: true, filters: { label: labelFilter(filter) } })).length;
    if (left === 0) break;
  }
  // networks and volumes go after their containers: one more pass for those of a late container
  add(await removeLabelled(filter));
  return { ...total, left };
}

/** Clusters that tuneproof's labels say exist, grouped from their node containers. */
export async function listLabelledClusters(): Promise<
  { cluster: string; run: string; nodes: string[]; state: string[]; createdAt?: string }[]
> {
  const d = await docker();
  const containers = await d.listContainers({ all: true, filters: { label: labelFilter({}) } });
  const byCluster = new Map<
    string,
    { cluster: string; run: string; nodes: string[]; state: string[]; createdAt?: string }
  >();
  for (const c of containers) {
    const cluster = c.Labels[labelKeys.cluster] ?? '?';
    const entry = byCluster.get(cluster) ?? {
      cluster,
      run: c.Labels[labelKeys.run] ?? '?',
      nodes: [],
      state: [],
      createdAt: c.Labels[labelKeys.createdAt],
    };
    entry.nodes.push(c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12));
    entry.state.push(c.State);
    byCluster.set(cluster, entry);
  }
  return [...byCluster.values()].sort((a, b) => a.cluster.localeCompare(b.cluster));
}
