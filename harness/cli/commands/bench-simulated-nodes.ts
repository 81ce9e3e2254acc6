import type { Command } from 'commander';
import { RestoringProvider } from '../../../clusters/kind/snapshot/index.ts';
import { benchSimulatedNodes } from '../../bench/index.ts';
import { loadProfile } from '../../profiles/index.ts';
import { formatTable } from '../../util/table.ts';
import { InputCheck } from '../options.ts';
import { providerFromOptions } from '../provider-options.ts';

const mib = (b: number | undefined) => (b === undefined ? '-' : `${(b / 2 ** 20).toFixed(0)} MiB`);
const pct = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(0)}%`);

/** `tuneproof bench simulated-nodes`: scale figures of this machine with kwok nodes. */
export function registerSimulatedNodesBench(bench: Command): void {
  bench
    .command('simulated-nodes')
    .description(
      'For each N: a fresh cluster with N simulated (kwok) nodes; time to Ready, then the apiserver, etcd and simulator CPU and memory and the request rates while the nodes idle',
    )
    .option('--nodes <list>', 'comma-separated node counts', '100,1000')
    .option('--zones <n>', 'zones the nodes are spread over', '1')
    .option('--idle-seconds <s>', 'length of the idle window measured', '30')
    .option('-p, --profile <profile>', 'profile name or YAML file', 'default')
    .action(
      async (opts: { nodes: string; zones: string; idleSeconds: string; profile: string }) => {
        const check = new InputCheck();
        const counts = opts.nodes.split(',').map((s) => check.wholeNumber('--nodes', s, 1, 5000));
        const zones = check.wholeNumber('--zones', opts.zones, 1, 26);
        const idleSeconds = check.wholeNumber('--idle-seconds', opts.idleSeconds, 5, 600);
        const loaded = check.collect(() => loadProfile(opts.profile));
        check.done('tuneproof bench simulated-nodes');
        if (!loaded) throw new Error('unreachable: checked above');
        const { provider } = await providerFromOptions({ provider: 'kind' });
        // the bench reads kind clusters' own fields: the kind provider makes those
        if (!(provider instanceof RestoringProvider))
          throw new Error('the kind provider is expected to make kind clusters');
        const rows = await benchSimulatedNodes({
          provider,
          profile: loaded.profile,
          counts,
          zones,
          idleSeconds,
        });
        process.stdout.write(
          `${formatTable(
            [
              'nodes',
              'Ready after',
              'apiserver CPU',
              'apiserver RSS',
              'etcd CPU',
              'etcd RSS',
              'kwok CPU',
              'kwok RSS',
              'req/s',
              'writes/s',
              '429+5xx/s',
            ],
            rows.map((r) => [
              String(r.nodes),
              `${r.readySeconds.toFixed(1)} s`,
              pct(r.apiserverCpuPercent),
              mib(r.apiserverRssBytes),
              pct(r.etcdCpuPercent),
              mib(r.etcdRssBytes),
              pct(r.simulatorCpuPercent),
              mib(r.simulatorRssBytes),
              r.requestsPerSecond.toFixed(0),
              r.writesPerSecond.toFixed(0),
              r.errorsPerSecond.toFixed(2),
            ]),
          )}\nCPU: 100% = one core, mean over the idle window (${idleSeconds}s).\n`,
        );
      },
    );
}
