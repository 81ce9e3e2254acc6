import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { scenarioNames, scenarios } from '../../../scenarios/index.ts';
import { ExitCode } from '../../errors.ts';
import { loadProfile } from '../../profiles/index.ts';
import { runScenario } from '../../runner/run-scenario.ts';
import { parseOverrides, resolveParameters } from '../../scenario/parameters.ts';
import { presetNames } from '../../scenario/types.ts';
import { newClusterName, newRunId } from '../../util/ids.ts';
import { InputCheck } from '../options.ts';
import {
  addProviderOptions,
  type ProviderCliOptions,
  providerFromOptions,
} from '../provider-options.ts';
import { hostTools } from '../tools.ts';
import { toolVersion } from '../version.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .argument('<scenario>', `scenario: ${scenarioNames().join(', ')}`)
    .description('Run one scenario once on a fresh cluster with a profile')
    .option('-p, --profile <profile>', 'profile name or YAML file', 'default')
    .option('--preset <preset>', `parameter preset (${presetNames.join(', ')})`, 'smoke')
    .option(
      '--set <key=value>',
      'override a scenario parameter (repeatable; values are JSON)',
      collect,
      [],
    )
    .option('--results <dir>', 'results directory', 'results')
    .option('--retain', 'keep the cluster if the run fails, for debugging')
    .option(
      '--fresh',
      "bring the cluster up with kubeadm instead of restoring the profile's snapshot",
    );
  addProviderOptions(command).action(
    async (
      name: string,
      opts: ProviderCliOptions & {
        profile: string;
        preset: string;
        set: string[];
        results: string;
        retain?: boolean;
        fresh?: boolean;
      },
    ) => {
      // one pass over every input before anything starts: all problems at once
      const check = new InputCheck();
      const scenario = scenarios[name];
      if (!scenario)
        check.error(
          'scenario',
          `unknown scenario "${name.slice(0, 60)}"; known: ${scenarioNames().join(', ')}`,
        );
      const preset = check.oneOf('--preset', opts.preset, presetNames);
      const overrides = check.collect(() => parseOverrides(opts.set));
      const params =
        scenario && preset && overrides
          ? check.collect(() => resolveParameters(scenario, preset, overrides), '--set')
          : undefined;
      const loaded = check.collect(() => loadProfile(opts.profile));
      check.outputDir('--results', opts.results);
      check.done('tuneproof run');
      if (!scenario || !preset || !loaded) throw new Error('unreachable: checked above');
      const { profile } = loaded;
      const runId = newRunId();
      const runDir = resolve(opts.results, runId, 'runs', `${scenario.name}-${profile.name}`);
      const { provider, images } = await providerFromOptions(opts);
      const result = await runScenario({
        scenario,
        preset,
        params,
        profile,
        provider,
        images: await images(),
        runId,
        runDir,
        clusterName: newClusterName(),
        toolVersion,
        tools: await hostTools(),
        retain: opts.retain,
      });
      process.stdout.write(
        `run ${result.runId}: ${result.status}${result.invalid.length ? ` (invalid: ${result.invalid.join('; ')})` : ''}\n`,
      );
      for (const m of result.metrics) {
        const labels = Object.entries(m.labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
        process.stdout.write(
          `  ${m.name}${labels ? `{${labels}}` : ''} = ${Number(m.value.toFixed(3))} ${m.unit}\n`,
        );
      }
      process.stdout.write(`results: ${join(runDir)}\n`);
      process.exitCode =
        result.status === 'failed'
          ? ExitCode.harnessError
          : result.invalid.length
            ? ExitCode.invalidRun
            : ExitCode.success;
    },
  );
}
