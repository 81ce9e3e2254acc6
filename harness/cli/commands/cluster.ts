import type { Command } from 'commander';
import { removeLabelled, removeLabelledUntilGone } from '../../../clusters/clean.ts';
import { KindProvider } from '../../../clusters/kind/provider.ts';
import { TuneproofError } from '../../errors.ts';
import { loadProfile, summariseEffectiveConfig } from '../../profiles/index.ts';
import { newClusterName, newRunId } from '../../util/ids.ts';
import { log } from '../../util/log.ts';
import { formatTable, show } from '../../util/table.ts';
import { checkKubeconfigTarget, namedKubeconfig, writeKubeconfig } from '../kubeconfig-file.ts';
import { InputCheck, outputFormat, printStructured } from '../options.ts';
import {
  addProviderOptions,
  type ProviderCliOptions,
  providerFromOptions,
} from '../provider-options.ts';
import { registerSnapshotCommands } from './cluster-snapshots.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** Cluster names become container, network and kubeconfig names: DNS-label-like and short. */
const clusterNameRe = /^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/;

export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Bring kind clusters up with a profile, list them, take them down');

  const up = cluster
    .command('up')
    .description(
      'Start a cluster with a profile and keep it running (take it down with `cluster down`); with --provider existing, read a running cluster back against the profile instead',
    )
    .option('-p, --profile <profile>', 'profile name or YAML file', 'default')
    .option('-w, --workers <n>', 'worker nodes', '2')
    .option('--name <name>', 'cluster name (default: tp-<random>)')
    .option('--force', 'with --kubeconfig: replace an existing file')
    .option(
      '--merge-kubeconfig',
      'with --kubeconfig: add the cluster to the existing file as context tuneproof-<name> and switch to it',
    )
    .option('--retain', 'keep the containers if bring-up fails, for debugging')
    .option('--show-config', 'print the effective-config read-back')
    .option('--fresh', "bring it up with kubeadm instead of restoring the profile's snapshot");
  addProviderOptions(
    up,
    'kind: write the admin kubeconfig here, mode 0600 (nowhere unless asked; an existing file needs --force or --merge-kubeconfig); existing: the kubeconfig to read',
  ).action(
    async (
      opts: ProviderCliOptions & {
        profile: string;
        workers: string;
        name?: string;
        force?: boolean;
        mergeKubeconfig?: boolean;
        retain?: boolean;
        showConfig?: boolean;
        fresh?: boolean;
      },
    ) => {
      // everything is checked before a container starts: a kubeconfig path that cannot be
      // written must not leave a running cluster behind
      const check = new InputCheck();
      const workers = check.wholeNumber('--workers', opts.workers, 0, 10);
      if (opts.name !== undefined && !clusterNameRe.test(opts.name))
        check.error(
          '--name',
          `"${opts.name.slice(0, 60)}" is not a cluster name (lower-case letters, digits and dashes, at most 40)`,
        );
      const loaded = check.collect(() => loadProfile(opts.profile));
      // kind writes --kubeconfig (an output); existing reads it (its input)
      const writesKubeconfig = opts.provider === 'kind';
      const target =
        opts.kubeconfig === undefined || !writesKubeconfig
          ? undefined
          : { path: opts.kubeconfig, force: opts.force, merge: opts.mergeKubeconfig };
      if (target) checkKubeconfigTarget(check, target);
      else if (opts.force || opts.mergeKubeconfig)
        check.error(
          '--kubeconfig',
          '--force and --merge-kubeconfig need --kubeconfig <file> and the kind provider',
        );
      check.done('tuneproof cluster up');
      const profile = loaded!.profile;
      const { provider } = await providerFromOptions({
        ...opts,
        kubeconfig: writesKubeconfig ? undefined : opts.kubeconfig,
      });
      const c = await provider.create({
        runId: newRunId(),
        name: opts.name ?? newClusterName(),
        profile,
        workers,
        retain: opts.retain,
      });
      if (target) {
        const { context } = writeKubeconfig(target, namedKubeconfig(c.kubeConfig(), c.name));
        log.info(
          `${target.merge ? 'Added' : 'Wrote'} the admin kubeconfig ${target.merge ? 'to' : 'at'} ${target.path} (mode 0600, context ${context}; keep it out of CI artifacts)`,
        );
      }
      const counts = summariseEffectiveConfig(c.effectiveConfig());
      const b = c.facts().bringUp;
      out(
        `cluster ${c.name} up (${c.provider}): ${c.apiServerUrl}, ${c.facts().nodes.length} nodes, profile ${profile.name}${b ? `, ${b.mode === 'restore' ? `restored from snapshot ${b.snapshot}` : 'kubeadm'} in ${b.seconds.toFixed(1)}s` : ''}`,
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
      if (c.provider === 'kind') out(`take it down with: tuneproof cluster down ${c.name}`);
    },
  );

  cluster
    .command('down')
    .argument('<names...>', 'cluster names (see `cluster list`)')
    .description('Remove clusters and everything tuneproof made for them')
    .action(async (names: string[]) => {
      const check = new InputCheck();
      for (const name of names)
        if (!clusterNameRe.test(name))
          check.error('<names>', `"${name.slice(0, 60)}" is not a cluster name`);
      check.done('tuneproof cluster down');
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
    .option('-o, --output <format>', 'table (default), json or yaml')
    .action(async (opts: { output?: string }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      check.done('tuneproof cluster list');
      const clusters = await new KindProvider({ nodeImage: '', kubernetesVersion: '' }).list();
      if (format !== 'table') return printStructured(format, clusters);
      if (clusters.length === 0) return out('no tuneproof clusters');
      out(
        formatTable(
          ['cluster', 'run', 'nodes', 'created'],
          clusters.map((c) => [c.name, c.runId, c.nodes.join(', '), c.createdAt ?? '-']),
        ),
      );
    });

  registerSnapshotCommands(cluster);

  program
    .command('clean')
    .description(
      'Remove every container, network and volume labelled by tuneproof (leftovers of crashed runs)',
    )
    .option('--run <id>', 'only what this run made')
    .option('--cluster <name>', 'only what belongs to this cluster')
    .action(async (opts: { run?: string; cluster?: string }) => {
      // a blank --run '' would otherwise mean "no filter": everything tuneproof made
      const check = new InputCheck();
      if (
        opts.run !== undefined &&
        !/^[0-9]{8}-[0-9]{6}-[0-9a-f]{4}$|^[a-z0-9][-a-z0-9.]{0,62}$/.test(opts.run)
      )
        check.error(
          '--run',
          `"${opts.run.slice(0, 60)}" is not a run id (e.g. 20261123-213501-3fa2)`,
        );
      if (opts.cluster !== undefined && !clusterNameRe.test(opts.cluster))
        check.error('--cluster', `"${opts.cluster.slice(0, 60)}" is not a cluster name`);
      check.done('tuneproof clean');
      // swept until gone: a killed run's Docker calls may still be creating containers
      const r = await removeLabelledUntilGone({ run: opts.run, cluster: opts.cluster });
      out(
        `removed ${r.containers.length} containers, ${r.networks.length} networks, ${r.volumes.length} volumes`,
      );
      for (const c of r.containers) out(`  container ${c}`);
      for (const n of r.networks) out(`  network ${n}`);
      if (r.left > 0)
        throw new TuneproofError(
          `${r.left} containers are still there after 20 sweeps; see docker ps -a and the daemon's log`,
        );
    });
}
