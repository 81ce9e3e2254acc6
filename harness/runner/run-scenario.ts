import type { z } from 'zod';
import type { Cluster, ClusterProvider } from '../../clusters/provider.ts';
import { ConfigError } from '../errors.ts';
import { HostContention } from '../measure/host-contention.ts';
import type { ResolvedProfile } from '../profiles/index.ts';
import { profileRef } from '../profiles/profile-ref.ts';
import { hostFacts } from '../results/host-facts.ts';
import { RunWriter } from '../results/run-writer.ts';
import type { RunResult } from '../results/schema.ts';
import { missingCapabilities } from '../scenario/required-capabilities.ts';
import type {
  Measurement,
  Scenario,
  ScenarioContext,
  Tools,
  WorkloadImages,
} from '../scenario/types.ts';
import { cleanup, type Undo } from '../util/cleanup.ts';
import { log } from '../util/log.ts';

export interface RunScenarioOptions<S extends z.ZodType> {
  scenario: Scenario<S>;
  preset: string;
  params: z.infer<S>;
  profile: ResolvedProfile;
  provider: ClusterProvider;
  runId: string;
  runDir: string;
  clusterName: string;
  toolVersion: string;
  tools: Tools;
  images: WorkloadImages;
  plan?: { comparisonId: string; side: string; repetition: number };
  /** Keep the cluster of a failed run for debugging. */
  retain?: boolean;
}

/**
 * One run: a fresh cluster with the profile, a health check, the scenario with its
 * measurements, results written as they come, debug artifacts kept if it fails, and the cluster
 * removed whatever happens (unless retained). A missed SLO is a result; only harness failures
 * make the run `failed`.
 */
export async function runScenario<S extends z.ZodType>(
  opts: RunScenarioOptions<S>,
): Promise<RunResult> {
  const { scenario, provider } = opts;
  const missing = missingCapabilities(scenario, opts.params, provider.capabilities);
  if (missing.length)
    throw new ConfigError(`scenario ${scenario.name}`, [
      {
        path: 'provider',
        message: `provider ${provider.name} lacks ${missing.join(', ')}`,
        severity: 'error',
      },
    ]);
  const writer = new RunWriter(opts.runDir, {
    runId: opts.runId,
    toolVersion: opts.toolVersion,
    profile: profileRef(opts.profile),
    scenario: {
      name: scenario.name,
      preset: opts.preset,
      parameters: opts.params as Record<string, unknown>,
    },
    plan: opts.plan,
    host: await hostFacts(),
  });
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // if the process is interrupted, the run is marked as such before its cluster goes away
  const finalise = cleanup.push(`finalise run ${opts.runId}`, async () => {
    writer.event({ kind: 'error', name: 'interrupted' });
    writer.finish('interrupted');
  });
  let cluster: Cluster | undefined;
  let removal: Undo | undefined;
  const measurements: Measurement[] = [];
  try {
    writer.event({ kind: 'cluster', name: 'cluster bring-up', edge: 'start' });
    cluster = await provider.create({
      runId: opts.runId,
      name: opts.clusterName,
      profile: opts.profile,
      workers: scenario.workers(opts.params),
      publishPorts: scenario.publishPorts?.(opts.params),
      simulatedNodes: scenario.simulatedNodes?.(opts.params),
      retain: opts.retain,
    });
    const c = cluster;
    removal = cleanup.push(`delete cluster ${c.name}`, () => c.delete());
    writer.event({
      kind: 'cluster',
      name: 'cluster bring-up',
      edge: 'end',
      detail: { upSeconds: c.facts().upSeconds, bringUp: c.facts().bringUp?.mode },
    });
    writer.setCluster(c.facts());
    writer.setEffectiveConfig([...c.effectiveConfig()]);
    if (c.effectiveConfig().some((e) => e.status === 'differs'))
      writer.markInvalid(
        'some profile values did not take (see the effective config): the run did not test the profile',
      );
    const ctx: ScenarioContext<z.infer<S>> = {
      cluster: c,
      writer,
      params: opts.params,
      tools: opts.tools,
      images: opts.images,
      signal: abort.signal,
      phase: async (name) => {
        const at = new Date();
        for (const m of measurements) await m.phase?.(name, at, ctx as ScenarioContext<unknown>);
      },
      measurement: (type) => {
        const found = measurements.find((m) => m instanceof type);
        if (!found) throw new Error(`scenario ${scenario.name} lists no ${type.name} measurement`);
        return found as InstanceType<typeof type>;
      },
    };
    measurements.push(new HostContention(), ...scenario.measurements(opts.params));
    for (const m of measurements) await m.start(ctx as ScenarioContext<unknown>);
    writer.event({ kind: 'phase', name: scenario.name, edge: 'start' });
    try {
      await scenario.run(ctx);
    } finally {
      writer.event({ kind: 'phase', name: scenario.name, edge: 'end' });
      // gathered even when the scenario failed: what was measured is kept
      for (const m of [...measurements].reverse()) {
        try {
          await m.gather(ctx as ScenarioContext<unknown>);
        } catch (e) {
          writer.event({
            kind: 'error',
            name: `measurement ${m.name} failed`,
            detail: { message: String(e) },
          });
          log.warn(`measurement ${m.name} failed: ${(e as Error).message}`);
        }
      }
    }
    finalise.dismiss();
    const result = writer.finish(abort.signal.aborted ? 'interrupted' : 'complete');
    await removal.run();
    return result;
  } catch (e) {
    finalise.dismiss();
    if (abort.signal.aborted) {
      // Ctrl-C: the cleanup stack is removing the cluster under the scenario's feet; what failed
      // after that is the interruption, not the run
      writer.event({ kind: 'error', name: 'interrupted' });
      return writer.finish('interrupted');
    }
    log.warn(`run ${opts.runId} failed: ${(e as Error).message.split('\n')[0]}`);
    writer.event({ kind: 'error', name: 'run failed', detail: { message: (e as Error).message } });
    if (cluster) {
      const c = cluster;
      await log
        .step('Collecting debug artifacts', 'Collected debug artifacts', () =>
          c.collectDebug(writer),
        )
        .catch((err) => log.warn(`could not collect debug artifacts: ${(err as Error).message}`));
    }
    const result = writer.finish('failed', e);
    if (cluster && opts.retain) {
      removal?.dismiss();
      log.warn(
        `keeping cluster ${cluster.name} (--retain); remove it with: tuneproof cluster down ${cluster.name}`,
      );
    } else await removal?.run();
    // bad input is the caller's to report; anything else is this run's failure, kept in its result
    if (e instanceof ConfigError) throw e;
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
