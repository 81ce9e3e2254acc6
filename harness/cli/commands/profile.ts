import type { Command } from 'commander';
import { stringify } from 'yaml';
import { kindRenderContext } from '../../../clusters/kind/kind-render-context.ts';
import { ConfigError, formatProblem, type Problem } from '../../errors.ts';
import {
  diffProfiles,
  type ExplainedKnob,
  explainProfile,
  loadProfile,
  type ResolvedProfile,
  renderProfile,
} from '../../profiles/index.ts';
import { formatTable, show, terminalWidth, wrap } from '../../util/table.ts';
import { InputCheck, outputFormat, printStructured } from '../options.ts';

/** Values give way first (whole in -o yaml), then reasons, then scenarios; knob ids last. */
const explainFit = [
  { shrink: 4, min: 28 },
  { shrink: 1, min: 12 },
  { shrink: 1, min: 12 },
  { shrink: 3, min: 16 },
  { shrink: 2, min: 22 },
];

const out = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

function load(ref: string): { profile: ResolvedProfile; warnings: Problem[] } {
  const result = loadProfile(ref);
  for (const w of result.warnings) process.stderr.write(`${formatProblem(w)}\n`);
  return result;
}

/**
 * The scenarios a knob should move, each marked `+` where a real-cluster test shows it doing so
 * and `?` where none does yet; a host-global knob with none says so.
 */
function measuredBy(k: ExplainedKnob): string {
  const shown = new Set<string>(k.evidence.map((e) => e.scenario));
  const names = [...new Set([...shown, ...k.scenarios])].map(
    (s) => `${shown.has(s) ? '+' : '?'}${s}`,
  );
  if (names.length > 0) return names.join(', ');
  return k.onRealHost ? 'none on kind (-o yaml)' : '-';
}

export function registerProfileCommands(program: Command): void {
  const profile = program
    .command('profile')
    .description('Validate, explain, compare and render tuning profiles');

  profile
    .command('validate')
    .argument('<profiles...>', 'profile names (default, tuned) or YAML files')
    .description('Check profiles: every problem in every file, with file, line and field path')
    .option('-o, --output <format>', 'table (default), json or yaml: the problems found')
    .action((refs: string[], opts: { output?: string }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      check.done('tuneproof profile validate');
      const problems: Problem[] = [];
      const valid: { ref: string; file: string; name: string; knobs: number }[] = [];
      for (const ref of refs) {
        try {
          const { profile: p, warnings } = loadProfile(ref);
          problems.push(...warnings);
          valid.push({ ref, file: p.files[0]!, name: p.name, knobs: p.values.size });
          if (format === 'table')
            out(
              `ok: ${p.files[0]} (${p.name}: ${p.values.size} knobs${p.files.length > 1 ? `, extends ${p.files.slice(1).join(' <- ')}` : ''})`,
            );
        } catch (e) {
          if (e instanceof ConfigError) problems.push(...e.problems);
          else throw e;
        }
      }
      if (format !== 'table') printStructured(format, { valid, problems });
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
    .option(
      '-o, --output <format>',
      'table (default, fits the terminal), json or yaml (values whole)',
    )
    .option('--json', 'same as -o json')
    .option('--changed', 'only knobs that differ from the upstream default')
    .description(
      'Each knob: value, upstream default, reason, scope, and the scenario that measures it',
    )
    .action((ref: string, opts: { json?: boolean; output?: string; changed?: boolean }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      const loaded = check.collect(() => load(ref));
      check.done('tuneproof profile explain');
      const p = loaded!.profile;
      const knobs = explainProfile(p).filter((k) => !opts.changed || k.changed);
      if (format !== 'table')
        return printStructured(format, { name: p.name, digest: p.digest, knobs });
      out(`${wrap(`${p.name}: ${p.description ?? ''}`, terminalWidth()).join('\n')}\n`);
      out(
        formatTable(
          ['knob', 'value', 'default', 'measured by', 'reason'],
          knobs.map((k) => [
            `${k.changed ? '*' : ' '}${k.scope === 'host-global' ? '!' : ' '} ${k.id}`,
            show(k.value),
            k.default === undefined ? (k.defaultNote ?? '-') : show(k.default),
            measuredBy(k),
            k.reason ?? '',
          ]),
          { fit: explainFit },
        ),
      );
      out(
        '\n* differs from the upstream default   ! host-global: one kernel for every node, not per node',
      );
      out("+ shown: a real-cluster test moves this scenario's numbers with it   ? not shown yet");
      out('(the tests, metrics and predictions, scope and whole values: -o yaml)');
    });

  profile
    .command('diff')
    .argument('<a>', 'profile name or YAML file')
    .argument('<b>', 'profile name or YAML file')
    .option(
      '-o, --output <format>',
      'table (default, fits the terminal), json or yaml (values whole)',
    )
    .option('--json', 'same as -o json')
    .description(
      'Knobs whose values differ between two profiles (unset counts as the upstream default)',
    )
    .action((a: string, b: string, opts: { json?: boolean; output?: string }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      const la = check.collect(() => load(a));
      const lb = check.collect(() => load(b));
      check.done('tuneproof profile diff');
      const pa = la!.profile;
      const pb = lb!.profile;
      const diffs = diffProfiles(pa, pb);
      if (format !== 'table') return printStructured(format, diffs);
      if (diffs.length === 0) return out(`${pa.name} and ${pb.name} set the same values`);
      out(
        formatTable(
          ['knob', pa.name, pb.name, 'measured by', `reason (${pb.name})`],
          diffs.map((d) => [
            `${d.scope === 'host-global' ? '!' : ' '} ${d.id}`,
            show(d.a),
            show(d.b),
            d.scenarios.join(', ') || '-',
            d.reasonB ?? '',
          ]),
          { fit: explainFit },
        ),
      );
      if (diffs.some((d) => d.scope === 'host-global'))
        out('\n! host-global: one kernel for every node, not per node');
    });

  profile
    .command('render')
    .argument('<profile>', 'profile name or YAML file')
    .option('--workers <n>', 'worker nodes to render for', '2')
    .description(
      'The kubeadm, kubelet, kube-proxy and containerd configuration the profile applies',
    )
    .action((ref: string, opts: { workers: string }) => {
      const check = new InputCheck();
      const workers = check.wholeNumber('--workers', opts.workers, 0, 20);
      const loaded = check.collect(() => load(ref));
      check.done('tuneproof profile render');
      const p = loaded!.profile;
      const ctx = kindRenderContext({
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
