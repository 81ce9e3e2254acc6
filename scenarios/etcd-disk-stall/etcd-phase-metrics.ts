import type { NodeHandle } from '../../clusters/provider.ts';
import { scrapeEtcd } from '../../harness/measure/etcd-metrics.ts';
import {
  counterDelta,
  histogramDelta,
  histogramQuantile,
  type Scrape,
} from '../../harness/measure/prometheus.ts';
import type { RunRecorder } from '../../harness/scenario/run-recorder.ts';
import type { Measurement, ScenarioContext } from '../../harness/scenario/types.ts';

/**
 * etcd's own view per phase: its /metrics scraped at every phase mark and at the end, and the
 * WAL fsync and backend commit percentiles of each phase from the histogram deltas between them.
 */
export class EtcdPhaseMetrics implements Measurement {
  readonly name = 'etcd-phases';
  readonly #phases: string[] = [];
  readonly #scrapes: Scrape[] = [];

  async start(): Promise<void> {}

  async phase(name: string, _at: Date, ctx: ScenarioContext<unknown>): Promise<void> {
    // right after a release etcd may still be draining its backlog: then the last scrape stands
    const scrape = await scrapeEtcd(controlPlane(ctx)).catch((e: unknown) => {
      if (!this.#scrapes.length) throw e;
      return this.#scrapes.at(-1)!;
    });
    this.#phases.push(name);
    this.#scrapes.push(scrape);
  }

  async gather(ctx: ScenarioContext<unknown>): Promise<void> {
    if (!this.#phases.length) return;
    this.#scrapes.push(await scrapeEtcd(controlPlane(ctx)));
    writeEtcdPhases(ctx.writer, this.#phases, this.#scrapes);
  }
}

function controlPlane(ctx: ScenarioContext<unknown>): NodeHandle {
  const node = ctx.cluster.nodes.find((n) => n.role === 'control-plane');
  if (!node) throw new Error('no control-plane node to scrape etcd on');
  return node;
}

/** etcd's fsync and commit percentiles per phase, from histogram deltas between the scrapes. */
function writeEtcdPhases(writer: RunRecorder, phases: readonly string[], scrapes: Scrape[]): void {
  const families: [string, string][] = [
    ['etcd_disk_wal_fsync_duration_seconds', 'etcd.wal_fsync'],
    ['etcd_disk_backend_commit_duration_seconds', 'etcd.backend_commit'],
  ];
  phases.forEach((phase, i) => {
    const before = scrapes[i]!;
    const after = scrapes[i + 1]!;
    for (const [family, name] of families) {
      const h = histogramDelta(before, after, family).get('');
      const p99 = h ? histogramQuantile(0.99, h) : undefined;
      // the SLO applies to a healthy disk: before the fault (during it, missing is the point)
      const slo =
        name === 'etcd.wal_fsync' && phase === 'before'
          ? { op: '<' as const, threshold: 10, source: 'etcd: WAL fsync p99 < 10 ms' }
          : undefined;
      writer.metric({
        name: `${name}.p99`,
        labels: { phase },
        unit: 'ms',
        direction: 'lower',
        value: (p99 ?? 0) * 1000,
        slo,
        description: `${family} p99 (${h?.count ?? 0} observations)`,
      });
      writer.metric({
        name: `${name}.count`,
        labels: { phase },
        unit: 'count',
        direction: 'none',
        value: h?.count ?? 0,
      });
    }
    const slow = counterDelta(before, after, 'etcd_server_slow_apply_total').get('') ?? 0;
    writer.metric({
      name: 'etcd.slow_applies',
      labels: { phase },
      unit: 'count',
      direction: 'lower',
      value: slow,
    });
  });
  const leader =
    counterDelta(scrapes[0]!, scrapes.at(-1)!, 'etcd_server_leader_changes_seen_total').get('') ??
    0;
  writer.metric({ name: 'etcd.leader_changes', unit: 'count', direction: 'lower', value: leader });
}
