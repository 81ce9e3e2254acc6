import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { docker } from '../../clusters/docker.ts';
import { labelKeys } from '../../clusters/labels.ts';
import { stableNodeLabel } from '../scenario/node-label.ts';
import type { Measurement, ScenarioContext } from '../scenario/types.ts';

/**
 * Host contention during a run. The cluster and the load generator share this machine, so busy
 * CPU alone says nothing; what invalidates a run is CPU the run did not cause: steal (the
 * hypervisor gave our cores away) and "other" CPU (busy minus the cluster's containers minus
 * tuneproof's own process tree, e.g. another job on the machine).
 */
export const contentionLimits = {
  /**
   * Mean CPU steal above this many percent of the machine makes a run invalid. Shared cloud VMs
   * show steal whenever they are busy (20-35% measured on this project's machines), so the
   * default catches abnormal contention, not the normal; TUNEPROOF_MAX_STEAL_PERCENT overrides.
   */
  stealPercent: Number(process.env.TUNEPROOF_MAX_STEAL_PERCENT ?? 50),
  /** Mean CPU used by processes outside the run above this many percent makes it invalid. */
  otherPercent: Number(process.env.TUNEPROOF_MAX_OTHER_CPU_PERCENT ?? 30),
} as const;

const clockTicks = 100; // USER_HZ on Linux

function cpuTimes(): { busy: number; steal: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = v;
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** CPU ticks of this process and all its descendants (k6 included). */
function ownTreeTicks(): number {
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // the process ended between readdir and read
    }
  }
  let sum = 0;
  for (const [pid, t] of ticks) {
    let p: number | undefined = pid;
    for (let depth = 0; p && depth < 64; depth++) {
      if (p === process.pid) {
        sum += t;
        break;
      }
      p = parent.get(p);
    }
  }
  return sum;
}

function cgroupCpuNs(id: string): number | undefined {
  for (const path of [
    `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`,
    `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`,
  ]) {
    if (existsSync(path)) return Number(readFileSync(path, 'utf8'));
  }
  const v2 = `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`;
  if (existsSync(v2))
    return Number(/usage_usec (\d+)/.exec(readFileSync(v2, 'utf8'))?.[1] ?? 0) * 1000;
  return undefined;
}

function cgroupMemoryBytes(id: string): number | undefined {
  for (const path of [
    `/sys/fs/cgroup/memory/docker/${id}/memory.usage_in_bytes`,
    `/sys/fs/cgroup/system.slice/docker-${id}.scope/memory.current`,
  ]) {
    if (existsSync(path)) return Number(readFileSync(path, 'utf8'));
  }
  return undefined;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export class HostContention implements Measurement {
  readonly name = 'host-contention';
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #busy: number[] = [];
  #steal: number[] = [];
  #other: number[] = [];
  #clusterCpu: number[] = [];
  #memPeak = 0;
  #relist: NodeJS.Timeout | undefined;

  constructor(intervalMs = 1000) {
    this.#intervalMs = intervalMs;
  }

  async start(ctx: ScenarioContext<unknown>): Promise<void> {
    const d = await docker();
    // The run's containers, listed again every few seconds: scenarios start some after this
    // sampler (image-pull-storm's registry), and their CPU is the run's, not "other".
    const listIds = async () =>
      (
        await d.listContainers({
          filters: { label: [`${labelKeys.cluster}=${ctx.cluster.name}`] },
        })
      ).map((c) => ({
        id: c.Id,
        // the same label in every run (worker, registry...), like per-node metrics
        node: stableNodeLabel(
          ctx.cluster.name,
          c.Labels[labelKeys.node] ?? c.Labels[labelKeys.role] ?? c.Names[0] ?? c.Id.slice(0, 12),
        ),
      }));
    let ids = await listIds();
    let relisting = false;
    this.#relist = setInterval(() => {
      if (relisting) return;
      relisting = true;
      listIds()
        .then((found) => {
          ids = found;
        })
        .catch(() => {
          // Docker busy or the cluster going away: keep the last list
        })
        .finally(() => {
          relisting = false;
        });
    }, 5000);
    this.#relist.unref();
    const ncpu = cpus().length;
    let prev = {
      cpu: cpuTimes(),
      own: ownTreeTicks(),
      containers: new Map(ids.map((c) => [c.id, cgroupCpuNs(c.id) ?? 0])),
      at: performance.now(),
    };
    this.#timer = setInterval(() => {
      const cpu = cpuTimes();
      const own = ownTreeTicks();
      const at = performance.now();
      const total = cpu.total - prev.cpu.total;
      if (total <= 0) return;
      const busyPct = (100 * (cpu.busy - prev.cpu.busy)) / total;
      const stealPct = (100 * (cpu.steal - prev.cpu.steal)) / total;
      const elapsedNs = (at - prev.at) * 1e6;
      let clusterPct = 0;
      let memTotal = 0;
      const now = new Map<string, number>();
      for (const c of ids) {
        const ns = cgroupCpuNs(c.id) ?? 0;
        now.set(c.id, ns);
        const pct = (100 * (ns - (prev.containers.get(c.id) ?? ns))) / (elapsedNs * ncpu);
        clusterPct += pct;
        const mem = cgroupMemoryBytes(c.id) ?? 0;
        memTotal += mem;
        ctx.writer.sample('container.cpu_percent', pct, { node: c.node });
        ctx.writer.sample('container.memory_bytes', mem, { node: c.node });
      }
      const ownPct = (100 * ((own - prev.own) / clockTicks) * 1e9) / (elapsedNs * ncpu);
      const otherPct = Math.max(0, busyPct - clusterPct - ownPct);
      ctx.writer.sample('host.cpu_busy_percent', busyPct);
      ctx.writer.sample('host.cpu_steal_percent', stealPct);
      ctx.writer.sample('host.cpu_other_percent', otherPct);
      ctx.writer.sample('host.load1', Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
      this.#busy.push(busyPct);
      this.#steal.push(stealPct);
      this.#other.push(otherPct);
      this.#clusterCpu.push(clusterPct);
      this.#memPeak = Math.max(this.#memPeak, memTotal);
      prev = { cpu, own, containers: now, at };
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    clearInterval(this.#timer);
    clearInterval(this.#relist);
    const w = ctx.writer;
    const steal = mean(this.#steal);
    const other = mean(this.#other);
    w.metric({
      name: 'host.cpu_busy_percent',
      unit: 'percent',
      direction: 'none',
      value: mean(this.#busy),
      description: 'mean host CPU busy during the run',
    });
    w.metric({ name: 'host.cpu_steal_percent', unit: 'percent', direction: 'none', value: steal });
    w.metric({
      name: 'host.cpu_other_percent',
      unit: 'percent',
      direction: 'none',
      value: other,
      description: 'CPU used outside the cluster and tuneproof',
    });
    w.metric({
      name: 'cluster.cpu_percent',
      unit: 'percent',
      direction: 'none',
      value: mean(this.#clusterCpu),
    });
    w.metric({
      name: 'cluster.memory_peak_bytes',
      unit: 'bytes',
      direction: 'none',
      value: this.#memPeak,
    });
    if (steal > contentionLimits.stealPercent)
      w.markInvalid(
        `host CPU steal averaged ${steal.toFixed(1)}% (limit ${contentionLimits.stealPercent}%)`,
      );
    if (other > contentionLimits.otherPercent)
      w.markInvalid(
        `processes outside the run used ${other.toFixed(1)}% of the host CPU on average (limit ${contentionLimits.otherPercent}%)`,
      );
  }
}
