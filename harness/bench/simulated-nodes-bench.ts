import type { KindCluster } from '../../clusters/kind/cluster.ts';
import { getRaw } from '../../clusters/kube.ts';
import type { ClusterSpec } from '../../clusters/provider.ts';
import { counterDelta, parseScrape } from '../measure/prometheus.ts';
import type { ResolvedProfile } from '../profiles/index.ts';
import { cleanup } from '../util/cleanup.ts';
import { newClusterName, newRunId } from '../util/ids.ts';
import { log } from '../util/log.ts';
import { hostPidsOf, processWindow } from './control-plane-usage.ts';

export interface SimulatedNodesBenchRow {
  nodes: number;
  /** Create requests to every node Ready. */
  readySeconds: number;
  apiserverCpuPercent?: number;
  apiserverRssBytes?: number;
  etcdCpuPercent?: number;
  etcdRssBytes?: number;
  simulatorCpuPercent?: number;
  simulatorRssBytes?: number;
  /** apiserver requests per second while idle (leases and status), and the writes among them. */
  requestsPerSecond: number;
  writesPerSecond: number;
  /** 5xx and 429 answers during the idle window: the control plane keeping up or not. */
  errorsPerSecond: number;
}

/**
 * For each N: a fresh single-node cluster with the profile and N simulated nodes; the time to
 * Ready, then an idle window with the control plane's CPU, memory and request rates while the
 * nodes only renew leases (every nodeLeaseDurationSeconds/4: N/10 writes/s by default).
 */
export async function benchSimulatedNodes(opts: {
  /** The kind provider (fresh or restoring): node containers are needed for process figures. */
  provider: { create(spec: ClusterSpec): Promise<KindCluster> };
  profile: ResolvedProfile;
  counts: readonly number[];
  zones: number;
  idleSeconds: number;
}): Promise<SimulatedNodesBenchRow[]> {
  const rows: SimulatedNodesBenchRow[] = [];
  for (const n of opts.counts) {
    const cluster = await opts.provider.create({
      runId: newRunId(),
      name: newClusterName('tpbench'),
      profile: opts.profile,
      workers: 0,
      simulatedNodes: { count: n, zones: opts.zones },
    });
    const removal = cleanup.push(`delete ${cluster.name}`, () => cluster.delete());
    try {
      const kc = cluster.kubeConfig();
      const cp = cluster.nodes[0]!;
      const pids = await hostPidsOf(cp.containerId, ['kube-apiserver', 'etcd']);
      // settle: the create burst and the first status posts are over
      await new Promise((r) => setTimeout(r, 10_000));
      const before = parseScrape(await getRaw(kc, '/metrics', 30_000));
      const sim0 = cluster.simulatedNodes?.usage();
      const t0 = performance.now();
      const usage = await processWindow(pids, opts.idleSeconds * 1000);
      const seconds = (performance.now() - t0) / 1000;
      const sim1 = cluster.simulatedNodes?.usage();
      const after = parseScrape(await getRaw(kc, '/metrics', 30_000));
      const perSecond = (filter: Record<string, string | RegExp>) =>
        [
          ...counterDelta(before, after, 'apiserver_request_total', undefined, filter).values(),
        ].reduce((a, b) => a + b, 0) / seconds;
      const row: SimulatedNodesBenchRow = {
        nodes: n,
        readySeconds: cluster.facts().simulatedNodes?.readySeconds ?? Number.NaN,
        apiserverCpuPercent: usage['kube-apiserver']?.cpuPercent,
        apiserverRssBytes: usage['kube-apiserver']?.rssBytes,
        etcdCpuPercent: usage.etcd?.cpuPercent,
        etcdRssBytes: usage.etcd?.rssBytes,
        simulatorCpuPercent:
          sim0 && sim1 ? (100 * (sim1.cpuSeconds - sim0.cpuSeconds)) / seconds : undefined,
        simulatorRssBytes: sim1?.rssBytes,
        requestsPerSecond: perSecond({}),
        writesPerSecond: perSecond({ verb: /^(POST|PUT|PATCH|DELETE|APPLY)$/ }),
        errorsPerSecond: perSecond({ code: /^(429|5\d\d)$/ }),
      };
      log.info(
        `${n} simulated nodes: Ready in ${row.readySeconds.toFixed(1)}s; apiserver ${row.apiserverCpuPercent?.toFixed(0)}% CPU, etcd ${row.etcdCpuPercent?.toFixed(0)}%, kwok ${row.simulatorCpuPercent?.toFixed(0)}%; ${row.requestsPerSecond.toFixed(0)} req/s (${row.writesPerSecond.toFixed(0)} writes/s)`,
      );
      rows.push(row);
    } finally {
      await removal.run();
    }
  }
  return rows;
}
