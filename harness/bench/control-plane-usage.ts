import { docker } from '../../clusters/docker.ts';
import { processUsage, type SimulatorUsage } from '../../clusters/kwok/index.ts';

/** Host PIDs of the named processes inside a node container (`docker top`: host PID namespace). */
export async function hostPidsOf(
  containerId: string,
  names: readonly string[],
): Promise<Record<string, number | undefined>> {
  const top = await (await docker()).getContainer(containerId).top({ ps_args: '-eo pid,comm' });
  const out: Record<string, number | undefined> = {};
  for (const name of names) {
    const row = (top.Processes ?? []).find((p: string[]) => p[1] === name);
    out[name] = row ? Number(row[0]) : undefined;
  }
  return out;
}

export interface ProcessWindow {
  cpuPercent: number;
  rssBytes: number;
}

/**
 * CPU (100 = one core) and resident memory of host processes over a window, from /proc: what
 * the apiserver and etcd cost with N nodes renewing leases. Read from the host because the node
 * image has no ps or top worth trusting under a shared kernel.
 */
export async function processWindow(
  pids: Record<string, number | undefined>,
  windowMs: number,
): Promise<Record<string, ProcessWindow | undefined>> {
  const before: Record<string, SimulatorUsage | undefined> = {};
  for (const [name, pid] of Object.entries(pids))
    before[name] = pid ? processUsage(pid) : undefined;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, windowMs));
  const seconds = (performance.now() - t0) / 1000;
  const out: Record<string, ProcessWindow | undefined> = {};
  for (const [name, pid] of Object.entries(pids)) {
    const a = before[name];
    const b = pid ? processUsage(pid) : undefined;
    out[name] =
      a && b
        ? { cpuPercent: (100 * (b.cpuSeconds - a.cpuSeconds)) / seconds, rssBytes: b.rssBytes }
        : undefined;
  }
  return out;
}
