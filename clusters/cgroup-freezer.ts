import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where Docker puts a container's cgroup-v1 freezer group, for cgroupfs and systemd drivers. */
export function freezerRoots(containerId: string, mount = '/sys/fs/cgroup/freezer'): string[] {
  return [
    join(mount, 'docker', containerId),
    join(mount, 'system.slice', `docker-${containerId}.scope`),
  ];
}

/**
 * Thaws every frozen cgroup-v1 freezer group below a container's own. A node container runs its
 * own runc, which freezes a pod's cgroup while it sets it up; deleting the node at that moment
 * (a cluster torn down while the kubelet still creates containers) leaves `runc init` frozen in
 * a nested group, and SIGKILL does not reach a frozen task: Docker then fails with "tried to kill
 * container, but did not receive an exit event" and the node stays. Docker thaws only the
 * container's own group. No library does this; it is a walk over cgroupfs. Best effort: on a
 * host with cgroup v2 (where SIGKILL reaches frozen tasks) or without write access, it does
 * nothing. Returns the groups it thawed.
 */
export async function thawNestedFreezers(
  containerId: string,
  mount = '/sys/fs/cgroup/freezer',
): Promise<string[]> {
  const thawed: string[] = [];
  for (const root of freezerRoots(containerId, mount)) {
    let dirs: string[];
    try {
      dirs = (await readdir(root, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isDirectory())
        .map((e) => join(e.parentPath, e.name));
    } catch {
      continue; // no such group (another driver, cgroup v2, container gone)
    }
    for (const dir of dirs) {
      const file = join(dir, 'freezer.state');
      try {
        const state = (await readFile(file, 'utf8')).trim();
        if (state === 'THAWED') continue;
        await writeFile(file, 'THAWED');
        thawed.push(dir);
      } catch {
        // vanished meanwhile, or not writable: nothing more to do here
      }
    }
  }
  return thawed;
}
