import type { NodeHandle } from './provider.ts';

/**
 * PID (in the node's PID namespace) of the oldest process named exactly `name`, by exec: any
 * provider with nodeExec has it, so it is a function of the handle, not a provider method.
 */
export async function pidOf(node: NodeHandle, name: string): Promise<number | undefined> {
  // by command line: /proc/<pid>/comm is cut at 15 characters (kube-controller-manager)
  const r = await node.exec(['pgrep', '-o', '-f', `^([^ ]*/)?${name}( |$)`], {
    allowFailure: true,
  });
  const pid = Number.parseInt(r.stdout.trim(), 10);
  return Number.isFinite(pid) ? pid : undefined;
}
