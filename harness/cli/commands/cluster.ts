import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { removeLabelled } from '../../../clusters/clean.ts';
import { KindProvider } from '../../../clusters/kind/provider.ts';
import { ConfigError } from '../../errors.ts';
import { loadProfile, summariseEffectiveConfig } from '../../profiles/index.ts';
import { newClusterName, newRunId } from '../../util/ids.ts';
import { log } from '../../util/log.ts';
import { formatTable, show } from '../../util/table.ts';
import { kindProviderFromImages } from '../kind-images.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function workerCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 10)
    throw new ConfigError('option --workers', [
      {
        path: '--workers',
        message: `expected a whole number from 0 to 10, got "${text}"`,
        severity: 'error',
      },
    ]);
  return n;
}

export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Bring kind clusters up with a profile, list them, take them down');

  cluster
    .command('up')
    .description(
      'Start a cluster with a profile and keep it running (take it down with `cluster down`)',
    )
    .option('-p, --profile <profile>', 'profile name or YAML file', 'default')
    .option('-w, --workers <n>', 'worker nodes', '2')
    .option('--name <name>', 'cluster name (default: tp-<random>)')
    .option('--kubeconfig <file>', 'write the admin kubeconfig here (nowhere unless asked)')
    .option('--retain', 'keep the containers if bring-up fails, for debugging')
    .option('--show-config', 'print the effective-config read-back')
    .action(
      async (opts: {
        profile: string;
        workers: string;
        name?: string;
        kubeconfig?: string;
        retain?: boolean;
        showConfig?: boolean;
      }) => {
        const workers = workerCount(opts.workers);
        const { profile } = loadProfile(opts.profile);
        const { provider } = await kindProviderFromImages();
        const c = await provider.create({
          runId: newRunId(),
          name: opts.name ?? newClusterName(),
          profile,
          workers,
          retain: opts.retain,
        });
        if (opts.kubeconfig) {
          writeFileSync(opts.kubeconfig, c.kubeConfig().exportConfig(), { mode: 0o600 });
          log.info(
            `Wrote the admin kubeconfig to ${opts.kubeconfig} (keep it out of CI artifacts)`,
          );
        }
        const counts = summariseEffectiveConfig(c.effectiveConfig());
        out(
          `cluster ${c.name} up: ${c.apiServerUrl}, ${c.nodes.length} nodes, profile ${profile.name}`,
        );
        out(
          `effective config: ${counts.applied} applied, ${counts.differs} differ, ${counts['not-applicable']} not applicable, ${counts.unverified} unverified`,
        );
        if (opts.showConfig)
          out(
            formatTable(
              ['knob', 'node', 'desired', 'observed', 'status', 'note'],
              c
                .effectiveConfig()
                .map((e) => [
                  `${e.component}.${e.key}`,
                  e.node ?? '-',
                  show(e.desired),
                  show(e.observed),
                  e.status,
                  e.note ?? '',
                ]),
            ),
          );
        out(`take it down with: tuneproof cluster down ${c.name}`);
      },
    );

  cluster
    .command('down')
    .argument('<names...>', 'cluster names (see `cluster list`)')
    .description('Remove clusters and everything tuneproof made for them')
    .action(async (names: string[]) => {
      for (const name of names) {
        const r = await removeLabelled({ cluster: name });
        out(
          `${name}: removed ${r.containers.length} containers, ${r.networks.length} networks, ${r.volumes.length} volumes`,
        );
      }
    });

  cluster
    .command('list')
    .description('Clusters tuneproof made on this machine (from Docker labels)')
    .action(async () => {
      const clusters = await new KindProvider({ nodeImage: '', kubernetesVersion: '' }).list();
      if (clusters.length === 0) return out('no tuneproof clusters');
      out(
        formatTable(
          ['cluster', 'run', 'nodes', 'created'],
          clusters.map((c) => [c.name, c.runId, c.nodes.join(', '), c.createdAt ?? '-']),
        ),
      );
    });

  program
    .command('clean')
    .description(
      'Remove every container, network and volume labelled by tuneproof (leftovers of crashed runs)',
    )
    .option('--run <id>', 'only what this run made')
    .option('--cluster <name>', 'only what belongs to this cluster')
    .action(async (opts: { run?: string; cluster?: string }) => {
      const r = await removeLabelled({ run: opts.run, cluster: opts.cluster });
      out(
        `removed ${r.containers.length} containers, ${r.networks.length} networks, ${r.volumes.length} volumes`,
      );
      for (const c of r.containers) out(`  container ${c}`);
      for (const n of r.networks) out(`  network ${n}`);
    });
}
