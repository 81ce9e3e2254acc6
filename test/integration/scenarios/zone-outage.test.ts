/**
 * Zone outage on a real control plane with 200 simulated nodes in two zones (100 each) beside
 * 1 control plane + 1 real worker. Predictions (tuning-parameters.md, node lifecycle controller;
 * fixtures: 20 s grace, 2 s monitor period):
 * - M = 10 below unhealthy-zone-threshold (10% < 55%): the zone stays Normal; NotReady 10-22 s
 *   after the stop (lease renewed every 10 s); taints from a token bucket of burst 1 at
 *   node-eviction-rate: one every 1/0.1 = 10 s, the 10th ~90 s after the first.
 * - the same with node-eviction-rate 1 (zone-outage-rate1): one per second, 10x sooner.
 * - M = 60 above the threshold (60% >= 55%, more than 2): the zone goes PartialDisruption once
 *   55 are NotReady; the zone has 100 > large-cluster-size-threshold (50) nodes, so the rate drops
 *   to secondary-node-eviction-rate 0.01/s: at most one or two taints in a minute.
 * One cluster per profile; the two default-rate cases share theirs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { providerFromOptions } from '../../../harness/cli/provider-options.ts';
import { hostTools } from '../../../harness/cli/tools.ts';
import { toolVersion } from '../../../harness/cli/version.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { profileRef } from '../../../harness/profiles/profile-ref.ts';
import { hostFacts } from '../../../harness/results/host-facts.ts';
import { RunWriter } from '../../../harness/results/run-writer.ts';
import type { RunResult } from '../../../harness/results/schema.ts';
import { resolveParameters } from '../../../harness/scenario/parameters.ts';
import type { Measurement, ScenarioContext } from '../../../harness/scenario/types.ts';
import { cleanup } from '../../../harness/util/cleanup.ts';
import { newClusterName, newRunId } from '../../../harness/util/ids.ts';
import { zoneOutage } from '../../../scenarios/zone-outage/scenario.ts';
import { integrationTest } from '../support/integration.ts';
import { fixtureProfile, metric } from '../support/run-smoke.ts';

const serial = integrationTest(test);

/** One cluster with the profile and the smoke's simulated nodes; each case a zone-outage run on it. */
async function withCluster(
  profileName: string,
  cases: readonly Record<string, unknown>[],
): Promise<RunResult[]> {
  const opened = await providerFromOptions({ provider: 'kind' });
  const provider = opened.provider;
  const images = await opened.images();
  const profile = loadProfile(fixtureProfile(profileName)).profile!;
  const base = resolveParameters(zoneOutage, 'smoke', {});
  const cluster = await provider.create({
    runId: newRunId(),
    name: newClusterName('tpzo'),
    profile,
    workers: base.workers,
    simulatedNodes: zoneOutage.simulatedNodes?.(base),
  });
  const removal = cleanup.push(`delete ${cluster.name}`, () => cluster.delete());
  try {
    const out: RunResult[] = [];
    for (const overrides of cases) {
      const params = resolveParameters(zoneOutage, 'smoke', overrides);
      const runId = newRunId();
      const writer = new RunWriter(join(mkdtempSync(join(tmpdir(), 'tp-zo-')), runId), {
        runId,
        toolVersion,
        profile: profileRef(profile),
        scenario: { name: 'zone-outage', preset: 'smoke', parameters: params },
        host: await hostFacts(),
      });
      writer.setCluster(cluster.facts());
      writer.setEffectiveConfig([...cluster.effectiveConfig()]);
      // as the runner does: the scenario's measurements started before it and gathered after
      const measurements = zoneOutage.measurements(params);
      const ctx: ScenarioContext<typeof params> = {
        cluster,
        writer,
        params,
        tools: await hostTools(),
        images,
        signal: new AbortController().signal,
        phase: async () => undefined,
        measurement: <M extends Measurement>(type: abstract new (...args: never[]) => M): M => {
          const found = measurements.find((m) => m instanceof type);
          if (!found) throw new Error(`zone-outage lists no ${type.name}`);
          return found as M;
        },
      };
      const asAny = ctx as ScenarioContext<unknown>;
      for (const m of measurements) await m.start(asAny);
      try {
        await zoneOutage.run(ctx);
      } finally {
        for (const m of measurements) await m.gather(asAny);
      }
      out.push(writer.finish('complete'));
    }
    return out;
  } finally {
    await removal.run();
  }
}

const near = (measured: number, expected: number, tolerance = 0.2) =>
  Math.abs(measured - expected) <= tolerance * expected;

let slow: RunResult | undefined;

serial(
  'default eviction rate: M below the threshold is tainted at 0.1/s; above it, at the secondary rate',
  async (t) => {
    t.timeout(12 * 60_000);
    const [below, above] = await withCluster('zone-outage-fast', [
      { outageNodes: 10 },
      { outageNodes: 60, maxOutageSeconds: 80 },
    ]);
    slow = below!;
    const facts = below!.cluster?.simulatedNodes;
    t.is(facts?.count, 200);
    t.log(`200 simulated nodes Ready after ${facts?.readySeconds.toFixed(1)}s`);
    t.is(metric(below!, 'zone_outage.tainted_nodes'), 10);
    const rate = metric(below!, 'zone_outage.taint_rate');
    t.log(`M=10: applied taint rate ${rate.toFixed(3)}/s (node-eviction-rate 0.1/s)`);
    t.true(near(rate, 0.1), `taint rate ${rate} within 20% of 0.1/s`);
    t.is(metric(below!, 'zone_outage.evicted_pods'), 10);
    t.false(
      below!.timeline.some((e) => e.name === 'zone zone-a: PartialDisruption'),
      'the zone stays Normal',
    );

    t.true(
      above!.timeline.some((e) => e.name === 'zone zone-a: PartialDisruption'),
      'the controller says the zone went PartialDisruption',
    );
    const partialSeconds = metric(above!, 'zone_outage.partial_disruption_seconds');
    const partialRate = metric(above!, 'zone_outage.taint_rate_partial');
    t.log(
      `M=60: ${partialSeconds.toFixed(0)}s in PartialDisruption at ${partialRate.toFixed(4)} taints/s (secondary 0.01/s); ${metric(above!, 'zone_outage.tainted_nodes')} of 60 tainted`,
    );
    t.true(partialSeconds >= 30, 'long enough a window to see the rate');
    // 0.01/s over the window, plus the token the new bucket may hold
    t.true(
      partialRate * partialSeconds <= 1 + 0.01 * partialSeconds * 1.2,
      `${partialRate * partialSeconds} taints while PartialDisruption`,
    );
    t.true(partialRate < 0.05, 'well below node-eviction-rate');
  },
);

serial('node-eviction-rate 1 taints the same outage about 10x faster', async (t) => {
  t.timeout(10 * 60_000);
  const [fast] = await withCluster('zone-outage-rate1', [{ outageNodes: 20 }]);
  const rate = metric(fast!, 'zone_outage.taint_rate');
  t.log(`M=20: applied taint rate ${rate.toFixed(3)}/s (node-eviction-rate 1/s)`);
  t.is(metric(fast!, 'zone_outage.tainted_nodes'), 20);
  t.true(near(rate, 1), `taint rate ${rate} within 20% of 1/s`);
  if (slow) {
    const ratio = rate / metric(slow, 'zone_outage.taint_rate');
    t.log(`rate ratio rate1 / default: ${ratio.toFixed(1)} (predicted 10)`);
    t.true(ratio >= 8 && ratio <= 12.5);
  }
});
