import type { Command } from 'commander';
import { RestoringProvider } from '../../../clusters/kind/snapshot/index.ts';
import { benchRestore } from '../../bench/index.ts';
import { loadProfile } from '../../profiles/index.ts';
import { formatTable } from '../../util/table.ts';
import { InputCheck } from '../options.ts';
import { providerFromOptions } from '../provider-options.ts';
import { registerSimulatedNodesBench } from './bench-simulated-nodes.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** `tuneproof bench restore`: snapshot restore against kubeadm, time to Ready, side by side. */
export function registerBenchCommand(program: Command): void {
  const bench = program.command('bench').description("Measure tuneproof's own machinery");
  registerSimulatedNodesBench(bench);
  bench
    .command('restore')
    .description(
      'Time to a Ready cluster: restored from a snapshot vs kubeadm, alternating, in one run (hold the cluster lock)',
    )
    .option('-p, --profile <profile>', 'profile name or YAML file', 'default')
    .option('-w, --workers <n>', 'worker nodes', '2')
    .option('--runs <n>', 'clusters of each kind (after one warm-up of each)', '5')
    .option('--json', 'print the samples and summaries as JSON')
    .action(async (opts: { profile: string; workers: string; runs: string; json?: boolean }) => {
      const check = new InputCheck();
      const workers = check.wholeNumber('--workers', opts.workers, 0, 10);
      const runs = check.wholeNumber('--runs', opts.runs, 1, 50);
      const loaded = check.collect(() => loadProfile(opts.profile));
      check.done('tuneproof bench restore');
      const profile = loaded!.profile;
      const { provider } = await providerFromOptions({ provider: 'kind' });
      if (!(provider instanceof RestoringProvider))
        throw new Error('the kind provider is expected to restore snapshots');
      const r = await benchRestore({
        nodeImage: provider.nodeImage,
        kubernetesVersion: provider.kubernetesVersion,
        profile,
        workers,
        runs,
      });
      if (opts.json) return out(JSON.stringify(r, null, 2));
      const s = (x: number) => x.toFixed(1);
      out(
        formatTable(
          [
            'bring-up',
            'n',
            'Ready min',
            'median',
            'max',
            'delivered min',
            'median',
            'max',
            'memory',
          ],
          r.summaries.map((m) => [
            m.mode === 'fresh' ? 'kubeadm (fresh)' : 'restore',
            String(m.n),
            s(m.ready.min),
            s(m.ready.median),
            s(m.ready.max),
            s(m.delivered.min),
            s(m.delivered.median),
            s(m.delivered.max),
            `${(m.memoryMedianBytes / 1e6).toFixed(0)} MB`,
          ]),
        ),
      );
      const [f, rs] = r.summaries;
      out(
        `1 control plane + ${workers} workers, profile ${profile.name}: restore median ${s(rs!.ready.median)}s to Ready vs ${s(f!.ready.median)}s fresh (${(f!.ready.median / rs!.ready.median).toFixed(1)}x); target <= 15s`,
      );
      out(
        'Ready: nodes and kube-system pods Ready (fresh: the whole kubeadm bring-up); delivered: what a run waits for (fresh: + read-back; restore: + read-back and check)',
      );
    });
}
