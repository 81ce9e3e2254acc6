import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import fc from 'fast-check';
import { ConfigError } from '../../../harness/errors.ts';
import { catalogue } from '../../../harness/profiles/catalogue.ts';
import { components } from '../../../harness/profiles/catalogue-types.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';
import { cli, crashRe } from './in-process-cli.ts';

/**
 * Generated hostile inputs for the profile loader and the command-line parser: whatever comes
 * in, the answer is a result or bad input (exit 2, ConfigError), quickly; never a hang, a stack
 * trace or an internal error. Seeds are fixed so a failure reproduces; the per-input limit is
 * generous because the suite shares 2 loaded cores (a hang is minutes, not seconds).
 */
const perInputMs = 5000;
const dir = mkdtempSync(join(tmpdir(), 'tp-fuzz-'));
const fifo = join(dir, 'fifo.yaml');
execFileSync('mkfifo', [fifo]);
const huge = join(dir, 'huge.yaml');
writeFileSync(huge, `# ${'x'.repeat(1100 * 1024)}\n`);
const bomb = join(dir, 'bomb.yaml');
writeFileSync(
  bomb,
  `a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
);
const emptyDir = join(dir, 'empty');
mkdirSync(emptyDir);

/** YAML scalars no knob should take as they are (and some it should). */
const scalar = fc.oneof(
  fc.constantFrom(
    '.inf',
    '-.inf',
    '.nan',
    '.NaN',
    '1e30',
    '1e21',
    '-0',
    '0x7fffffff',
    '0o777',
    '9223372036854775807',
    '2147483648',
    '-2147483649',
    '18446744073709551616',
    '1.7976931348623157e309',
    '~',
    'null',
    'yes',
    'no',
    'true',
    'False',
    '""',
    "''",
    '"10%"',
    '"101%"',
    '"-5%"',
    '100Mi',
    '9Ei',
    '"1e3"',
    '20s',
    '2562048h',
    '99999999999999999999h',
    '-5s',
    '1.5h',
    '0',
    '"0100"',
    '"1 2 3"',
    '"  "',
    '!!binary aGVsbG8=',
    '!!timestamp 2001-12-14',
    '!foo bar',
    '!!str 5',
    '!!int "5"',
    '!!float .inf',
    '[]',
    '{}',
    '[1, 2]',
    '{value: .nan}',
    '{valeu: 5}',
    '{reason: x}',
    '{value: 1, value2: 2}',
    '*undefined_alias',
    '&anchor 5',
    '"\\u0000"',
    '"a\\nb"',
    '"\\t"',
    '__proto__',
    '{__proto__: {polluted: 1}}',
    '{constructor: 1}',
  ),
  fc.integer().map(String),
  fc
    .double()
    .map((d) =>
      Number.isNaN(d) ? '.nan' : Number.isFinite(d) ? String(d) : d > 0 ? '.inf' : '-.inf',
    ),
  fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)),
);
const knobKey = fc.oneof(
  fc.constantFrom(...catalogue.map((k) => k.key)),
  fc.constantFrom(
    'extraArgs',
    'value',
    'reason',
    '__proto__',
    'constructor',
    'conntrack',
    'net',
    '"a b"',
    '? complex',
    '[x]',
  ),
  fc.string({ maxLength: 10 }).filter((s) => /^[A-Za-z][\w.-]*$/.test(s)),
);
const section = fc.oneof(
  fc.constantFrom(...components),
  fc.constantFrom('__proto__', 'kubeletx', 'spec'),
);
const entries = fc.array(fc.tuple(knobKey, scalar), { maxLength: 6 });
const profileText = fc.oneof(
  // structured: a plausible header, random sections, knobs and values
  fc
    .record({
      name: fc.oneof(
        fc.constant('fuzz'),
        fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
      ),
      ext: fc.option(
        fc.constantFrom('default', 'tuned', 'nosuch', fifo, huge, bomb, '/dev/zero', '""'),
        { nil: undefined },
      ),
      sections: fc.array(fc.tuple(section, entries), { maxLength: 4 }),
    })
    .map(({ name, ext, sections }) =>
      [
        'apiVersion: tuneproof.dev/v1alpha1',
        'kind: TuningProfile',
        `metadata: {name: ${name}}`,
        ...(ext === undefined ? [] : [`extends: ${ext}`]),
        'spec:',
        ...sections.flatMap(([s, kvs]) => [`  ${s}:`, ...kvs.map(([k, v]) => `    ${k}: ${v}`)]),
      ].join('\n'),
    ),
  // unstructured: anything at all
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 100 }),
  // nesting and aliases
  fc.integer({ min: 1, max: 5000 }).map((n) => `a: ${'['.repeat(n)}${']'.repeat(n)}`),
  fc
    .integer({ min: 2, max: 12 })
    .map((n) =>
      [
        'a: &a0 [x, x, x, x, x, x, x, x, x, x]',
        ...Array.from(
          { length: n },
          (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`,
        ),
      ].join('\n'),
    ),
);

const counts = { profiles: 0, commandLines: 0 };

// a library's process warning ("Keys with collection values will be stringified") is output the
// user did not ask for: the fuzz fails on any
const warnings: string[] = [];
process.on('warning', (w) => warnings.push(w.message));
test.after.always('no process warnings', () => {
  if (warnings.length) throw new Error(`process warnings: ${warnings.join('; ')}`);
});

test.serial(
  'fuzz: the profile loader answers every generated file with a profile or a ConfigError',
  (t) => {
    let slowest = 0;
    fc.assert(
      fc.property(profileText, (text) => {
        const path = join(dir, 'p.yaml');
        writeFileSync(path, text);
        const started = Date.now();
        try {
          loadProfile(path);
        } catch (e) {
          if (!(e instanceof ConfigError)) throw e;
          if (e.problems.length === 0) throw new Error('a ConfigError without problems');
        }
        const ms = Date.now() - started;
        slowest = Math.max(slowest, ms);
        counts.profiles++;
        if (ms > perInputMs) throw new Error(`took ${ms} ms`);
      }),
      { numRuns: 400, seed: 15 },
    );
    t.log(`${counts.profiles} generated profiles, slowest ${slowest} ms`);
    t.true(counts.profiles >= 400);
    t.deepEqual(warnings, []);
  },
);

/** Option values a hostile user (or a broken script) passes. */
const value = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '-',
    '--',
    '0',
    '-1',
    '1e309',
    'NaN',
    'Infinity',
    '0x1f',
    '9'.repeat(400),
    '__proto__',
    'constructor',
    '__proto__={"a":1}',
    'constructor.prototype=1',
    'a=b',
    '=x',
    'x=',
    'rate={"__proto__":{}}',
    'mix={"get":1,"zz":0}',
    '/dev/zero',
    '/dev/null',
    fifo,
    dir,
    huge,
    bomb,
    emptyDir,
    '../../../../etc/passwd',
    '\u0000',
    'a\nb',
    '%s%n',
    '$(true)',
    '😀',
    'x'.repeat(10_000),
    'default',
    'tuned',
    'json',
    'yaml',
    'table',
  ),
  fc.string({ maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);
const word = (s: string) => `!${s}`; // never a valid name, id or format

/**
 * Command lines that must fail their checks before anything starts: each carries one certainly
 * bad input (a FIFO as the profile, a name with "!", an empty directory to report on), so no
 * generated line brings up a cluster or removes a container.
 */
const commandLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('explain', 'validate', 'render'),
      value,
      fc.array(
        fc.tuple(fc.constantFrom('-o', '--workers', '--changed', '--json', '--bogus'), value),
        { maxLength: 3 },
      ),
    )
    .map(([sub, ref, opts]) => ['profile', sub, ref, ...opts.flat()]),
  fc
    .tuple(value, value, fc.option(value))
    .map(([a, b, o]) => ['profile', 'diff', a, b, ...(o === null ? [] : ['-o', o])]),
  fc
    .tuple(
      value,
      fc.array(
        fc.tuple(fc.constantFrom('--preset', '--set', '--results', '--retain', '-p'), value),
        { maxLength: 4 },
      ),
    )
    .map(([scenario, opts]) => ['run', scenario, ...opts.flat(), '-p', fifo]),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          '--workers',
          '--name',
          '--kubeconfig',
          '--force',
          '--merge-kubeconfig',
          '--show-config',
        ),
        value,
      ),
      { maxLength: 4 },
    )
    .map((opts) => ['cluster', 'up', ...opts.flat(), '-p', fifo]),
  fc
    .array(
      fc.tuple(
        fc.constantFrom(
          '--scenarios',
          '--repeat',
          '--preset',
          '--set',
          '--results',
          '--baseline',
          '--noise-floor',
          '--calibrate',
        ),
        value,
      ),
      { maxLength: 4 },
    )
    .map((opts) => ['compare', '--profiles', `${fifo},default`, ...opts.flat()]),
  fc
    .tuple(
      fc.constantFrom(fifo, emptyDir, huge, join(dir, 'nope')),
      fc.array(fc.tuple(fc.constantFrom('--noise-floor', '-o', '--recompute'), value), {
        maxLength: 2,
      }),
    )
    .map(([d, opts]) => ['report', d, ...opts.flat()]),
  value.map((v) => ['clean', '--run', word(v)]),
  value.map((v) => ['cluster', 'down', word(v)]),
  value.map((v) => ['cluster', 'list', '-o', word(v)]),
  value.map((v) => ['images', 'list', '-o', word(v)]),
  fc.array(value, { minLength: 1, maxLength: 4 }).map((vs) => [word(vs[0]!), ...vs.slice(1)]),
);

test.serial(
  'fuzz: every generated command line ends in a result or exit 2, without a stack trace',
  async (t) => {
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(commandLine, async (args) => {
        const r = await cli(...args);
        counts.commandLines++;
        slowest = Math.max(slowest, r.ms);
        if (r.ms > perInputMs) throw new Error(`took ${r.ms} ms`);
        if (crashRe.test(r.stderr)) throw new Error(`crash-like output: ${r.stderr.slice(0, 500)}`);
        // profile commands on a valid profile may succeed; everything else carries a bad input
        const mayPass = args[0] === 'profile' || (args.length === 1 && args[0]!.startsWith('!'));
        if (!(r.code === 2 || (mayPass && r.code === 0)))
          throw new Error(
            `exit ${r.code}: ${args.join(' ').slice(0, 200)}\n${r.stderr.slice(0, 500)}`,
          );
      }),
      { numRuns: 1000, seed: 15 },
    );
    t.log(`${counts.commandLines} generated command lines, slowest ${slowest} ms`);
    t.true(counts.commandLines >= 1000);
    t.deepEqual(warnings, []);
  },
);
