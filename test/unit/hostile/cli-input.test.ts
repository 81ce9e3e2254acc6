import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { parse as parseYaml } from 'yaml';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { writeFixtureRuns } from '../report/fixture-runs.ts';
import { type CliResult, cli, crashRe } from './in-process-cli.ts';

/**
 * The CLI's manners with bad input: one checking pass per command, every problem at once, exit
 * 2, nothing started or written, no stack trace.
 */
const dir = mkdtempSync(join(tmpdir(), 'tp-cli-hostile-'));
const fifo = join(dir, 'fifo.yaml');
execFileSync('mkfifo', [fifo]);

function badInput(t: import('ava').ExecutionContext, r: CliResult, ...want: RegExp[]) {
  t.is(r.code, 2, r.stderr);
  t.notRegex(r.stderr, crashRe);
  for (const re of want) t.regex(r.stderr, re);
}

test('run: every problem at once', async (t) => {
  const r = await cli('run', 'nosuch', '--preset', 'bogus', '--set', 'x', '-p', '/nonexistent');
  badInput(
    t,
    r,
    /4 problems/,
    /unknown scenario "nosuch"/,
    /--preset: unknown value "bogus"/,
    /--set: expected key=value, got "x"/,
    /\/nonexistent: error: no such file/,
  );
});

test('run: a FIFO profile, a file as --results and bad --set keys, all at once', async (t) => {
  const file = join(dir, 'plain-file');
  writeFileSync(file, 'x');
  const r = await cli(
    'run',
    'apiserver-load',
    '-p',
    fifo,
    '--results',
    file,
    '--set',
    '__proto__={"polluted":1}',
    '--set',
    'rate={"constructor":{"prototype":1}}',
    '--set',
    'maxVUs=1',
    '--set',
    'maxVUs=2',
    '--set',
    'bad key=1',
  );
  badInput(
    t,
    r,
    /FIFO/,
    /--results: .* not a directory/,
    /"__proto__" is not a parameter/,
    /rate\.constructor/,
    /maxVUs is set twice/,
    /"bad key" is not a parameter name/,
  );
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test('run: unknown keys inside a --set object are named, not stripped', async (t) => {
  const r = await cli(
    'run',
    'apiserver-load',
    '-p',
    fifo,
    '--set',
    'mix={"get":0.5,"list":0.1,"create":0.15,"update":0.15,"delete":0.1,"patch":0}',
  );
  badInput(t, r, /--set\.mix\.patch: unknown parameter/, /FIFO/);
});

test('run: an unknown top-level --set key', async (t) => {
  const r = await cli('run', 'apiserver-load', '-p', fifo, '--set', 'rat=5');
  badInput(t, r, /rat/, /FIFO/);
});

for (const [name, args] of [
  ['profile render --workers blank', ['profile', 'render', 'tuned', '--workers', '']],
  ['profile render --workers space', ['profile', 'render', 'tuned', '--workers', ' ']],
  ['profile render --workers 1e1', ['profile', 'render', 'tuned', '--workers', '1e1']],
  ['profile render --workers -1', ['profile', 'render', 'tuned', '--workers=-1']],
  ['profile render --workers 0x2', ['profile', 'render', 'tuned', '--workers', '0x2']],
  ['cluster up --workers blank', ['cluster', 'up', '--workers', '', '-p', fifo]],
  ['cluster up --workers huge', ['cluster', 'up', '--workers', '9'.repeat(400), '-p', fifo]],
] as const) {
  test(`${name} is rejected, not taken as a number`, async (t) => {
    const r = await cli(...args);
    badInput(t, r, /--workers: expected a whole number/);
  });
}

test('input echoed in messages cannot forge lines or send terminal escapes', async (t) => {
  const r = await cli('profile', 'validate', `/tmp/\u001b[31mred\nerror: forged.yaml`, 'x\u0007y');
  badInput(t, r, /\\x1b\[31mred\\x0aerror: forged/, /x\\x07y/);
  t.false(r.stderr.includes('\u001b'));
  t.false(r.stderr.includes('\u0007'));
  t.is(r.stderr.split('\n').filter((l) => l.startsWith('error: forged')).length, 0);
});

test('compare: a huge --repeat is rejected before any loop, with the other problems', async (t) => {
  const r = await cli(
    'compare',
    '--profiles',
    'default,tuned',
    '--repeat',
    '9'.repeat(300),
    '--scenarios',
    'nosuch',
    '--set',
    'x',
  );
  badInput(t, r, /--repeat: must be at most 1000/, /unknown scenario "nosuch"/, /--set/);
  t.true(r.ms < 30_000);
});

test('compare: --repeat 1001 is out of range', async (t) => {
  const r = await cli('compare', '--profiles', 'default,tuned', '--repeat', '1001');
  badInput(t, r, /--repeat/);
});

test('cluster up: the kubeconfig target is checked before any cluster starts', async (t) => {
  const existing = join(dir, 'existing-kubeconfig');
  writeFileSync(existing, 'apiVersion: v1\nkind: Config\n', { mode: 0o644 });
  const r = await cli(
    'cluster',
    'up',
    '--kubeconfig',
    existing,
    '--name',
    'Bad_Name',
    '--workers',
    '',
  );
  badInput(t, r, /exists: add --merge-kubeconfig .* or --force/, /--name/, /--workers/);
  const r2 = await cli(
    'cluster',
    'up',
    '--kubeconfig',
    join(dir, 'no', 'such', 'dir', 'kc'),
    '-p',
    fifo,
  );
  badInput(t, r2, /directory .* does not exist/, /FIFO/);
  const r3 = await cli('cluster', 'up', '--kubeconfig', dir, '-p', fifo);
  badInput(t, r3, /not a regular file/);
  const r4 = await cli('cluster', 'up', '--force', '-p', fifo);
  badInput(t, r4, /need --kubeconfig/);
  const r5 = await cli(
    'cluster',
    'up',
    '--kubeconfig',
    existing,
    '--force',
    '--merge-kubeconfig',
    '-p',
    fifo,
  );
  badInput(t, r5, /exclude each other/);
});

test('clean and cluster down: blank or malformed names do not mean "everything"', async (t) => {
  badInput(t, await cli('clean', '--run', ''), /--run: "" is not a run id/);
  badInput(t, await cli('clean', '--cluster', ''), /--cluster/);
  badInput(
    t,
    await cli('cluster', 'down', 'ok-name', '../etc', ''),
    /"\.\.\/etc" is not a cluster name/,
    /"" is not a cluster name/,
  );
});

test('-o with an unknown format is bad input on every listing command', async (t) => {
  for (const args of [
    ['profile', 'explain', 'tuned', '-o', 'xml'],
    ['profile', 'diff', 'default', 'tuned', '-o', 'wide'],
    ['profile', 'validate', 'tuned', '-o', ''],
    ['cluster', 'list', '-o', 'csv'],
    ['images', 'list', '-o', 'table2'],
    ['report', dir, '-o', 'html'],
    ['profile', 'explain', 'tuned', '--json', '-o', 'yaml'],
  ])
    badInput(t, await cli(...args), /-o|--json/);
});

test('report: an empty or non-results directory is exit 2, said on the terminal, nothing written', async (t) => {
  const empty = join(dir, 'empty');
  mkdirSync(empty);
  badInput(t, await cli('report', empty), /holds no runs/);
  t.deepEqual(readdirSync(empty), []);
  const notResults = join(dir, 'not-results');
  mkdirSync(notResults);
  writeFileSync(join(notResults, 'notes.txt'), 'hello');
  mkdirSync(join(notResults, 'sub'));
  badInput(t, await cli('report', notResults), /holds no runs/);
  t.deepEqual(readdirSync(notResults).sort(), ['notes.txt', 'sub']);
  badInput(t, await cli('report', join(notResults, 'notes.txt')), /not a directory/);
  badInput(t, await cli('report', join(dir, 'nope')), /does not exist/);
  badInput(
    t,
    await cli('report', empty, '--noise-floor', fifo),
    /holds no runs/,
    /--noise-floor: .* not a regular file/,
  );
});

test('report: unreadable runs are named on the terminal, not only inside summary.md', async (t) => {
  const results = join(dir, 'with-unreadable');
  writeFixtureRuns(results, { repeat: 2, samples: false });
  mkdirSync(join(results, 'runs', 'broken'), { recursive: true });
  writeFileSync(join(results, 'runs', 'broken', 'run.json'), '{"schemaVersion": ');
  mkdirSync(join(results, 'runs', 'fifo-run'), { recursive: true });
  execFileSync('mkfifo', [join(results, 'runs', 'fifo-run', 'run.json')]);
  const r = await cli('report', results, '-o', 'json');
  t.notRegex(r.stderr, crashRe);
  t.regex(r.stderr, /run runs\/broken left out of the report, cannot be read/);
  t.regex(r.stderr, /run runs\/fifo-run left out [\s\S]*FIFO/);
  const printed = JSON.parse(r.stdout) as {
    files: Record<string, string>;
    exitCode: number;
    unreadable: { dir: string }[];
  };
  t.is(printed.exitCode, r.code);
  t.deepEqual(printed.unreadable.map((u) => u.dir).sort(), ['runs/broken', 'runs/fifo-run']);
  for (const f of Object.values(printed.files)) t.true(existsSync(f));
});

const widest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

test('profile explain and diff fit 100 columns', async (t) => {
  const long = join(dir, 'long.yaml');
  writeFileSync(
    long,
    `apiVersion: tuneproof.dev/v1alpha1\nkind: TuningProfile\nmetadata:\n  name: long\n  description: ${'A very long description that goes on and on '.repeat(6)}\nextends: tuned\nspec:\n  kubelet:\n    evictionHard:\n      value: {memory.available: 500Mi, nodefs.available: 10%, nodefs.inodesFree: 5%, imagefs.available: 15%, imagefs.inodesFree: 5%, pid.available: 10%}\n      reason: ${'x'.repeat(150)}\n    kubeReserved: {cpu: 100m, memory: 1Gi, ephemeral-storage: 1Gi, pid: "1000"}\n  apiServer:\n    etcd-servers-overrides: {value: "/events#${'https://10.0.0.1:2379;'.repeat(8)}", reason: events}\n`,
  );
  for (const args of [
    ['profile', 'explain', 'tuned'],
    ['profile', 'explain', 'default'],
    ['profile', 'explain', long],
    ['profile', 'explain', long, '--changed'],
    ['profile', 'diff', 'default', 'tuned'],
    ['profile', 'diff', 'tuned', 'default'],
    ['profile', 'diff', 'default', long],
    ['profile', 'diff', long, 'default'],
  ]) {
    const r = await cli(...args);
    t.is(r.code, 0, r.stderr);
    t.true(widest(r.stdout) <= 100, `${args.join(' ')}: ${widest(r.stdout)} columns`);
    t.true(r.stdout.split('\n').length > 5);
  }
});

test('profile explain -o json|yaml round-trips the loaded values, whole', async (t) => {
  const json = JSON.parse((await cli('profile', 'explain', 'tuned', '-o', 'json')).stdout);
  const yaml = parseYaml((await cli('profile', 'explain', 'tuned', '-o', 'yaml')).stdout);
  const legacy = JSON.parse((await cli('profile', 'explain', 'tuned', '--json')).stdout);
  t.deepEqual(yaml, json);
  t.deepEqual(legacy, json);
  const { profile } = loadProfile('tuned');
  t.is(json.digest, profile.digest);
  t.is(json.knobs.length, profile.values.size);
  for (const k of json.knobs as { id: string; value: unknown }[])
    t.deepEqual(k.value, profile.values.get(k.id)?.value, k.id);
});

test('profile diff -o json|yaml round-trip', async (t) => {
  const json = JSON.parse((await cli('profile', 'diff', 'default', 'tuned', '-o', 'json')).stdout);
  const yaml = parseYaml((await cli('profile', 'diff', 'default', 'tuned', '-o', 'yaml')).stdout);
  t.deepEqual(yaml, json);
  const { profile } = loadProfile('tuned');
  const inflight = (json as { id: string; b: unknown }[]).find(
    (d) => d.id === 'apiServer.max-requests-inflight',
  );
  t.is(inflight?.b, profile.values.get('apiServer.max-requests-inflight')?.value);
});

test('profile validate -o json lists valid profiles and every problem', async (t) => {
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'apiVersion: tuneproof.dev/v1alpha1\nkind: TuningProfile\nmetadata: {name: bad}\nspec:\n  kubelet:\n    maxPods: .nan\n',
  );
  const r = await cli('profile', 'validate', 'tuned', bad, '-o', 'json');
  t.is(r.code, 2);
  const printed = JSON.parse(r.stdout) as {
    valid: { name: string }[];
    problems: { path: string; line: number }[];
  };
  t.deepEqual(
    printed.valid.map((v) => v.name),
    ['tuned'],
  );
  t.is(printed.problems[0]?.path, 'spec.kubelet.maxPods');
  t.is(printed.problems[0]?.line, 6);
  t.deepEqual(
    parseYaml((await cli('profile', 'validate', 'tuned', bad, '-o', 'yaml')).stdout),
    printed,
  );
});

test('report -o json and -o yaml print the same data, and the exit code it sets', async (t) => {
  const results = join(dir, 'report-json');
  writeFixtureRuns(results, { repeat: 2, samples: false });
  const json = await cli('report', results, '-o', 'json');
  const yaml = await cli('report', results, '-o', 'yaml');
  const a = JSON.parse(json.stdout) as { exitCode: number; outcome: { headline: string } };
  t.deepEqual(parseYaml(yaml.stdout), a);
  t.is(a.exitCode, json.code);
  t.regex(a.outcome.headline, /^(PASS|FAIL|INVALID)/);
});
