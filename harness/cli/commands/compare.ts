import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { removeLabelled } from '../../../clusters/clean.ts';
import type { ClusterProvider } from '../../../clusters/provider.ts';
import { scenarioNames } from '../../../scenarios/index.ts';
import { comparisonDefaults } from '../../compare/compare-runs.ts';
import { comparisonDirs, runDirOf } from '../../compare/comparison-runs.ts';
import type { PlannedRun } from '../../compare/plan-runs.ts';
import { ConfigError, ExitCode, TuneproofError } from '../../errors.ts';
import { writeReport } from '../../report/write-report.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import { missingCapabilities } from '../../scenario/required-capabilities.ts';
import { presetNames, type Tools, type WorkloadImages } from '../../scenario/types.ts';
import { cleanup } from '../../util/cleanup.ts';
import { newClusterName, newRunId } from '../../util/ids.ts';
import { log } from '../../util/log.ts';
import { adoptBaselineRuns } from '../compare/baseline-runs.ts';
import {
  type CompareSetup,
  defaultMaxRepeat,
  defaultRepeat,
  parseCompareOptions,
  type RawCompareOptions,
  resumeCompareOptions,
} from '../compare/compare-options.ts';
import { hasPlanFile, readPlanFile, writePlanFile } from '../compare/compare-plan-file.ts';
import {
  describeRun,
  executePlan,
  formatDuration,
  type RunAttempt,
} from '../compare/execute-plan.ts';
import { recordFailedRun } from '../compare/failed-run.ts';
import { finishComparison } from '../compare/finish-comparison.ts';
import { planComparison, planFileOf } from '../compare/plan-comparison.ts';
import { lockResultsDir } from '../compare/results-lock.ts';
import { resumeState, supersedePending } from '../compare/resume-state.ts';
import { runSequential, type SequentialResult } from '../compare/sequential-looks.ts';
import { recordSequentialState } from '../compare/sequential-state-file.ts';
import {
  addProviderOptions,
  type ProviderCliOptions,
  providerFromOptions,
} from '../provider-options.ts';
import { hostTools } from '../tools.ts';
import { toolVersion } from '../version.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCompareCommand(program: Command): void {
  const command = program
    .command('compare')
    .description(
      'Compare profiles: interleaved runs, each on a fresh cluster, then statistics and a report (report.html, summary.md, junit.xml); exits with the verdict',
    )
    .option(
      '--profiles <list>',
      'comma-separated profiles (names or YAML files); the first is the baseline',
    )
    .option(
      '--scenarios <list>',
      `comma-separated scenarios, or all (${scenarioNames().join(', ')})`,
      'all',
    )
    .option(
      '--repeat <n>',
      'runs per profile per scenario, or auto: blocks until every primary metric is decided (docs/compare.md)',
      String(defaultRepeat),
    )
    .option(
      '--max-repeat <n>',
      `with --repeat auto: at most this many blocks (default ${defaultMaxRepeat})`,
    )
    .option(
      '--margin <metric=value>',
      "replace a primary metric's practical margin: 10% (of the baseline's median), 2 (metric units) or both (repeatable)",
      collect,
      [],
    )
    .option(
      '--strict-slo',
      'an SLO both sides miss (an environment finding) fails the comparison too',
    )
    .option('--preset <preset>', `parameter preset (${presetNames.join(', ')})`, 'smoke')
    .option(
      '--calibrate',
      'add an A/A calibration of the baseline profile; its noise floor is stored (noise-floor.json)',
    )
    .option(
      '--baseline <results-dir>',
      "take the baseline profile's runs from an earlier comparison instead of running them",
    )
    .option('--resume <results-dir>', 'continue a comparison that was interrupted or killed')
    .option('--results <dir>', "where to create the comparison's results directory", 'results')
    .option(
      '--set <key=value>',
      'override a scenario parameter (repeatable; values are JSON; scenario.key=value for one scenario)',
      collect,
      [],
    )
    .option(
      '--noise-floor <file>',
      'apply the noise floor of an earlier calibration (noise-floor.json)',
    )
    .option('--fresh', 'bring every cluster up with kubeadm instead of restoring its snapshot');
  addProviderOptions(command).action(
    async (all: RawCompareOptions & ProviderCliOptions, cmd: Command) => {
      // the provider is where runs are made, not part of what is compared (nor of the plan)
      const { provider, kubeconfig, context, ...raw } = all;
      const given = new Set(Object.keys(raw).filter((k) => cmd.getOptionValueSource(k) === 'cli'));
      await compare(raw, given, { provider, kubeconfig, context, fresh: raw.fresh });
    },
  );
}

function checkCapabilities(setup: CompareSetup, provider: ClusterProvider): void {
  const problems = setup.scenarios.flatMap((s) => {
    const missing = missingCapabilities(s, setup.params.get(s.name), provider.capabilities);
    return missing.length
      ? [
          {
            path: '--scenarios',
            message: `${s.name} needs ${missing.join(', ')}, which the ${provider.name} provider lacks`,
            severity: 'error' as const,
          },
        ]
      : [];
  });
  if (problems.length) throw new ConfigError('tuneproof compare', problems);
}

function openComparison(
  raw: RawCompareOptions,
  given: ReadonlySet<string>,
): {
  setup: CompareSetup;
  resultsDir: string;
  comparisonId: string;
  resuming: boolean;
  notes: string[];
} {
  if (raw.resume === undefined) {
    const setup = parseCompareOptions(raw);
    const comparisonId = `cmp-${newRunId()}`;
    return {
      setup,
      comparisonId,
      resultsDir: resolve(raw.results ?? 'results', comparisonId),
      resuming: false,
      notes: [],
    };
  }
  const resultsDir = resolve(raw.resume);
  if (!hasPlanFile(resultsDir)) {
    throw new ConfigError('tuneproof compare', [
      {
        path: '--resume',
        message: `${raw.resume} has no plan.json: it is not the results directory of a comparison`,
        severity: 'error',
      },
    ]);
  }
  const planFile = readPlanFile(resultsDir);
  const baselineCopied =
    existsSync(join(resultsDir, comparisonDirs.baseline)) &&
    readdirSync(join(resultsDir, comparisonDirs.baseline)).length > 0;
  const setup = resumeCompareOptions(planFile, raw, given, { lookUpBaseline: !baselineCopied });
  return {
    setup,
    comparisonId: planFile.comparisonId,
    resultsDir,
    resuming: true,
    notes: planFile.notes,
  };
}

/**
 * `tuneproof compare`: plan, make the runs one by one (each a fresh cluster, see docs/compare.md
 * for why), compute the comparison, write the report, print report.html's path last and leave the
 * verdict's exit code in process.exitCode.
 */
async function compare(
  raw: RawCompareOptions,
  given: ReadonlySet<string>,
  providerOptions: ProviderCliOptions,
): Promise<void> {
  const { setup, resultsDir, comparisonId, resuming, notes } = openComparison(raw, given);
  for (const w of setup.warnings) log.warn(w);
  const plan = planComparison(setup, comparisonId);
  const opened = await providerFromOptions(providerOptions);
  const provider = opened.provider;
  checkCapabilities(setup, provider);
  const images = await opened.images();
  const tools = await hostTools();

  mkdirSync(resultsDir, { recursive: true });
  const unlock = lockResultsDir(resultsDir);
  const unlockOnExit = cleanup.push(`unlock ${resultsDir}`, async () => unlock());
  try {
    if (!resuming) {
      writePlanFile(resultsDir, planFileOf(setup, plan, toolVersion));
      for (const runs of setup.baseline?.byScenario.values() ?? [])
        adoptBaselineRuns(runs, resultsDir, comparisonId);
      if (setup.baseline)
        log.info(
          `Baseline: ${plan.fromBaseline.length ? `${[...setup.baseline.byScenario.values()].flat().length} runs of ${setup.profiles[0]?.name} copied from ${setup.request.baseline}` : 'none'}`,
        );
    }
    const state = resumeState(resultsDir, plan.toRun);
    const done = plan.toRun.length - state.pending.length;
    if (resuming) {
      log.info(
        `Resuming ${comparisonId}: ${done} of ${plan.toRun.length} runs complete, ${state.pending.length} to make`,
      );
      for (const p of state.progress.filter(
        (x) => x.state !== 'complete' && x.state !== 'missing',
      )) {
        // kill -9 leaves the run's cluster running, and it would load the machine under the next run
        const removed = await removeLabelled({ run: p.run.runId });
        if (removed.containers.length)
          log.info(
            `Removed ${removed.containers.length} leftover containers of killed run ${p.run.runId}`,
          );
      }
      for (const s of supersedePending(resultsDir, state.progress, state.redoneComplete)) {
        log.info(
          `Run ${s.runId} is made again (${s.reasons.map((r) => r.split('\n')[0]).join('; ') || s.state}); the earlier attempt is kept in ${s.movedTo}`,
        );
      }
    } else {
      const sides = setup.profiles.map((p) => p.name).join(' vs ');
      log.info(
        `Comparison ${comparisonId}: ${plan.toRun.length} runs (${sides}${setup.request.calibrate ? ', A/A calibration' : ''}; ${setup.scenarios.map((s) => s.name).join(', ')}; ${setup.request.preset} preset, ${setup.request.auto ? `--repeat auto: ${setup.request.auto.minBlocks} to ${setup.request.auto.maxBlocks} blocks` : `${setup.request.repeat} repetitions`}; block order seed ${setup.request.seed ?? 'none'}), one fresh cluster each; results in ${resultsDir}`,
      );
    }

    const hint = cleanup.push(`resume hint for ${comparisonId}`, async () => {
      log.info(
        `Comparison ${comparisonId} stopped; continue it with: tuneproof compare --resume ${resultsDir}`,
      );
    });
    let stopRequested = false;
    const onSignal = () => {
      stopRequested = true;
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const t0 = performance.now();
    let outcome: SequentialResult;
    const finishOptions = (planned: readonly PlannedRun[], lookAlpha?: number) => ({
      planned,
      calibrate: setup.request.calibrate,
      notes,
      ...(setup.noiseFloor && setup.request.noiseFloor
        ? { noiseFloor: { floor: setup.noiseFloor, path: setup.request.noiseFloor } }
        : {}),
      ...(lookAlpha === undefined ? {} : { lookAlpha }),
    });
    let executedSoFar = done;
    const durationsSoFar = [...state.completedDurationsMs];
    const execute = async (runs: readonly PlannedRun[]) => {
      const r = await executePlan({
        runs,
        total: plan.toRun.length,
        done: executedSoFar,
        priorDurationsMs: durationsSoFar,
        // --repeat auto makes one block per call: elapsed and what is left are the comparison's
        startedAt: t0,
        laterRuns: plan.toRun.length - executedSoFar - runs.length,
        stopRequested: () => stopRequested,
        runOne: (planned) => runPlanned(planned, setup, { provider, images, tools }, resultsDir),
      });
      executedSoFar += r.executed.length;
      durationsSoFar.push(...r.executed.map((e) => e.durationMs));
      return r;
    };
    const auto = setup.request.auto;
    try {
      outcome = auto
        ? await runSequential({
            pending: state.pending,
            minBlocks: auto.minBlocks,
            maxBlocks: auto.maxBlocks,
            alpha: comparisonDefaults.alpha,
            execute,
            look: (look, lookAlpha) => {
              recordSequentialState(resultsDir, look);
              return finishComparison(
                resultsDir,
                finishOptions(
                  plan.toRun.filter((r) => r.repetition <= look.blocks),
                  lookAlpha,
                ),
              ).comparison;
            },
            log: (line) => log.info(line),
          })
        : await execute(state.pending);
    } catch (e) {
      // bad input found mid-way: resuming would meet it again
      if (e instanceof ConfigError) hint.dismiss();
      throw e;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (outcome.stopped)
      throw new TuneproofError(`comparison ${comparisonId} interrupted`, {
        exitCode: ExitCode.interrupted,
      });
    hint.dismiss();
    if (outcome.executed.length)
      log.info(`Made ${outcome.executed.length} runs in ${formatDuration(performance.now() - t0)}`);

    if (outcome.state) recordSequentialState(resultsDir, outcome.state);
    const finished = finishComparison(
      resultsDir,
      finishOptions(
        outcome.state
          ? plan.toRun.filter((r) => r.repetition <= outcome.state!.blocks)
          : plan.toRun,
        outcome.lookAlpha,
      ),
    );
    if (outcome.state)
      log.info(
        `--repeat auto: ${outcome.state.blocks} blocks (${outcome.state.stopped === 'decided' ? 'every primary decided' : 'maximum reached'}), α spent ${outcome.state.spent.toPrecision(2)}`,
      );
    if (finished.noiseFloorPath)
      log.info(`Noise floor of the A/A calibration: ${finished.noiseFloorPath}`);
    const report = await log.step(
      `Writing the report for ${comparisonId}`,
      'Wrote the report',
      () => writeReport(resultsDir),
    );
    log.info(finished.comparison.outcome.headline);
    if (finished.exitCode === ExitCode.harnessError)
      log.warn('not one run completed: see the errors of the failed runs in the report');
    process.stdout.write(`${report.files.html}\n`);
    process.exitCode = finished.exitCode;
  } finally {
    unlock();
    unlockOnExit.dismiss();
  }
}

async function runPlanned(
  planned: PlannedRun,
  setup: CompareSetup,
  env: { provider: ClusterProvider; images: WorkloadImages; tools: Tools },
  resultsDir: string,
): Promise<RunAttempt> {
  const scenario = setup.scenarios.find((s) => s.name === planned.scenario);
  const profile = setup.profiles.find((p) => p.name === planned.profile);
  if (!scenario || !profile)
    throw new TuneproofError(`run ${planned.runId}: ${describeRun(planned)} is not in the setup`);
  const runDir = runDirOf(resultsDir, planned.runId);
  const params = setup.params.get(scenario.name);
  try {
    const result = await runScenario({
      scenario,
      preset: setup.request.preset,
      params,
      profile,
      ...env,
      runId: planned.runId,
      runDir,
      clusterName: newClusterName(),
      toolVersion,
      plan: {
        comparisonId: planned.comparisonId,
        side: planned.side,
        repetition: planned.repetition,
      },
    });
    return {
      status: result.status === 'running' ? 'failed' : result.status,
      invalid: result.invalid,
      ...(result.error === undefined ? {} : { error: result.error }),
    };
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    recordFailedRun({
      runDir,
      planned,
      profile,
      preset: setup.request.preset,
      params,
      toolVersion,
      error: e,
    });
    throw e;
  }
}
