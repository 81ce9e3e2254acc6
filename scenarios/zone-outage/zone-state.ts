import type { KubeConfig } from '@kubernetes/client-node';
import { getRaw } from '../../clusters/kube.ts';

export interface ZoneStateChange {
  atMs: number;
  /** The zone name (the controller keys zones as `<region>:\0:<zone>`). */
  zone: string;
  state: string;
}

/**
 * The node lifecycle controller's zone states over time, as it states them itself: it logs
 * "Controller detected that zone is now in new state" on each change (and "Entering master
 * disruption mode" when every node is NotReady). The log is read through the apiserver with
 * its timestamps; zone state has no metric of its own.
 */
export function parseZoneStates(log: string): ZoneStateChange[] {
  const out: ZoneStateChange[] = [];
  for (const line of log.split('\n')) {
    const at = Date.parse(line.slice(0, line.indexOf(' ')));
    if (Number.isNaN(at)) continue;
    const m = /zone is now in new state.*zone="([^"]*)".*newState="?(\w+)/.exec(line);
    if (m) out.push({ atMs: at, zone: m[1]!.split(':').pop() ?? '', state: m[2]! });
    else if (line.includes('Entering master disruption mode'))
      out.push({ atMs: at, zone: '*', state: 'FullDisruption' });
    else if (line.includes('Exiting master disruption mode'))
      out.push({ atMs: at, zone: '*', state: 'Normal' });
  }
  return out;
}

/**
 * The controller-manager's log since shortly before `sinceMs`, with timestamps, read through the
 * apiserver (kept with the run: it is what says why a zone did or did not taint).
 */
export function readControllerManagerLog(
  kc: KubeConfig,
  controlPlaneNode: string,
  sinceMs: number,
): Promise<string> {
  const since = new Date(sinceMs - 5000).toISOString();
  return getRaw(
    kc,
    `/api/v1/namespaces/kube-system/pods/kube-controller-manager-${controlPlaneNode}/log?timestamps=true&sinceTime=${encodeURIComponent(since)}`,
    30_000,
  );
}
