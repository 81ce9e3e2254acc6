import type { Command } from 'commander';
import { stringify } from 'yaml';
import { ConfigError, formatProblem, type Problem } from '../../errors.ts';
import {
  defaultRenderContext,
  diffProfiles,
  explainProfile,
  loadProfile,
  type ResolvedProfile,
  renderProfile,
} from '../../profiles/index.ts';
import { formatTable, show } from '../../util/table.ts';

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function load(ref: string): { profile: ResolvedProfile; warnings: Problem[] } {
  const result = loadProfile(ref);
  for (const w of result.warnings) process.stderr.write(`${formatProblem(w)}\n`);
  return result;
}

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command('profile')
    .description('Validate, explain, compare and render tuning profiles');

  profile
    .command('validate')
    .argument('<profiles...>', 'profile names (default, tuned) or YAML files')
    .description('Check profiles: every problem in every file, with file, line and field path')
    .action((refs: string[]) => {
      const problems: Problem[] = [];
      for (const ref of refs) {
        try {
          const { profile: p, warnings } = loadProfile(ref);
          problems.push(...warnings);
          out(
            `ok: ${p.files[0]} (${p.name}: ${p.values.size} knobs${p.files.length > 1 ? `, extends ${p.files.slice(1).join(' <- ')}` : ''})`,
          );
        } catch (e) {
          if (e instanceof ConfigError) problems.push(...e.problems);
          else throw e;
        }
      }
      if (problems.some((p) => p.severity === 'error'))
        throw new ConfigError(
          `${refs.length === 1 ? 'profile' : 'profiles'} ${refs.join(', ')}`,
          problems,
        );
      for (const w of problems) process.stderr.write(`${formatProblem(w)}\n`);
    });

  profile
    .command('explain')
    .argument('<profile>', 'profile name or YAML file')
    .option('--json', 'machine-readable output')
    .option('--changed', 'only knobs that differ from the upstream default')
    .description(
      'Each knob: value, upstream default, reason, scope, and the scenario that measures it',
    )
    .action((ref: string, opts: { json?: boolean; changed?: boolean }) => {
      const { profile: p } = load(ref);
      const knobs = explainProfile(p).filter((k) => !opts.changed || k.changed);
      if (opts.json) return out(JSON.stringify({ name: p.name, digest: p.digest, knobs }, null, 2));
      out(`${p.name}: ${p.description ?? ''}\n`);
      out(
        formatTable(
          ['knob', 'value', 'default', 'scope', 'measured by', 'reason'],
          knobs.map((k) => [
            `${k.changed ? '*' : ' '} ${k.id}`,
            show(k.value),
            k.default === undefined ? (k.defaultNote ?? '-') : show(k.default),
            k.scope === 'host-global' ? 'host-global (cannot differ per node)' : k.scope,
            k.scenarios.join(', ') || '-',
            k.reason ?? '',
          ]),
        ),
      );
      out('\n* differs from the upstream default');
    });

  profile
    .command('diff')
    .argument('<a>', 'profile name or YAML file')
    .argument('<b>', 'profile name or YAML file')
    .option('--json', 'machine-readable output')
    .description(
      'Knobs whose values differ between two profiles (unset counts as the upstream default)',
    )
    .action((a: string, b: string, opts: { json?: boolean }) => {
      const pa = load(a).profile;
      const pb = load(b).profile;
      const diffs = diffProfiles(pa, pb);
      if (opts.json) return out(JSON.stringify(diffs, null, 2));
      if (diffs.length === 0) return out(`${pa.name} and ${pb.name} set the same values`);
      out(
        formatTable(
          ['knob', pa.name, pb.name, 'scope', 'measured by', `reason (${pb.name})`],
          diffs.map((d) => [
            d.id,
            show(d.a),
            show(d.b),
            d.scope,
            d.scenarios.join(', ') || '-',
            d.reasonB ?? '',
          ]),
        ),
      );
    });

  profile
    .command('render')
    .argument('<profile>', 'profile name or YAML file')
    .option('--workers <n>', 'worker nodes to render for', '2')
    .description(
      'The kubeadm, kubelet, kube-proxy and containerd configuration the profile applies',
    )
    .action((ref: string, opts: { workers: string }) => {
      const { profile: p } = load(ref);
      const workers = Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 0 || workers > 20)
        throw new ConfigError('option --workers', [
          { path: '--workers', message: `expected 0..20, got ${opts.workers}`, severity: 'error' },
        ]);
      const ctx = defaultRenderContext({
        nodes: [
          { name: 'control-plane', role: 'control-plane', ip: '172.30.0.10' },
          ...Array.from({ length: workers }, (_, i) => ({
            name: `worker${i ? i + 1 : ''}`,
            role: 'worker' as const,
            ip: `172.30.0.${11 + i}`,
          })),
        ],
      });
      const r = renderProfile(p, ctx);
      out(
        `# profile ${p.name} (digest ${p.digest.slice(0, 12)}), rendered for 1 control plane + ${workers} workers`,
      );
      out(
        '# (addresses and the bootstrap token are placeholders; a cluster provider fills in real ones)',
      );
      out(
        `\n# every node: merged into /etc/containerd/config.toml\n${r.containerdFragment.trimEnd()}`,
      );
      for (const node of r.nodes) {
        for (const [path, content] of Object.entries(node.files))
          out(`\n# ${node.name}: ${path}\n${content.trimEnd()}`);
        if (Object.keys(node.sysctls).length)
          out(`\n# ${node.name}: node container sysctls\n${stringify(node.sysctls).trimEnd()}`);
        if (node.ulimits.length)
          out(`\n# ${node.name}: node container ulimits\n${stringify(node.ulimits).trimEnd()}`);
      }
      if (r.notApplied.length) {
        out('\n# not applied: cannot differ per node in a kind cluster');
        for (const n of r.notApplied) out(`#   ${n.id} = ${show(n.value)}: ${n.reason}`);
      }
    });
}
