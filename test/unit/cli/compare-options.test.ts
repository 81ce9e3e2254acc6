import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import {
  parseCompareOptions,
  type RawCompareOptions,
} from '../../../harness/cli/compare/compare-options.ts';
import { ConfigError, type Problem } from '../../../harness/errors.ts';
import { fakeScenarios, setupOf, tempDir } from './compare-fixtures.ts';

function problemsOf(t: ExecutionContext, raw: RawCompareOptions): Problem[] {
  const e = t.throws(() => parseCompareOptions(raw, { scenarios: fakeScenarios }), {
    instanceOf: ConfigError,
  });
  return [...(e as ConfigError).problems];
}

const paths = (problems: readonly Problem[]) => problems.map((p) => p.path);

test('every bad option is reported at once, each with its option', (t) => {
  const problems = problemsOf(t, {
    profiles: 'default,nope',
    scenarios: 'apiserver-load,bogus',
    repeat: '0',
    preset: 'huge',
  });
  t.deepEqual(paths(problems), ['--profiles', '--scenarios', '--repeat', '--preset']);
  t.regex(problems[0]!.message, /unknown profile "nope".*built-in profiles: .*default.*tuned/);
  t.regex(
    problems[1]!.message,
    /unknown scenario "bogus"; known: apiserver-load, node-unreachable/,
  );
  t.regex(problems[2]!.message, /whole number >= 1 or auto, got "0"/);
  t.regex(problems[3]!.message, /unknown preset "huge"; known: smoke, standard/);
});

const badOption = test.macro({
  exec(t, raw: RawCompareOptions, path: string, message: RegExp) {
    const problems = problemsOf(t, {
      profiles: 'default,tuned',
      scenarios: 'apiserver-load',
      ...raw,
    });
    t.deepEqual(paths(problems), [path]);
    t.regex(problems[0]!.message, message);
  },
  title: (given, _raw, path) => `${given}: reported at ${path}`,
});

test('no profiles', badOption, { profiles: '' }, '--profiles', /name the profiles to compare/);
test('a profile named twice', badOption, { profiles: 'tuned,tuned' }, '--profiles', /named twice/);
test(
  'one profile without --calibrate',
  badOption,
  { profiles: 'default' },
  '--profiles',
  /name two profiles/,
);
test(
  '--baseline with one profile',
  badOption,
  { profiles: 'tuned', baseline: '/tmp' },
  '--profiles',
  /with --baseline/,
);
test('repeat not a number', badOption, { repeat: 'three' }, '--repeat', /got "three"/);
test('negative repeat', badOption, { repeat: '-1' }, '--repeat', /whole number/);
test('fractional repeat', badOption, { repeat: '2.5' }, '--repeat', /whole number/);
test(
  '--calibrate with --noise-floor',
  badOption,
  { calibrate: true, noiseFloor: '/nowhere.json' },
  '--noise-floor',
  /cannot be combined with --calibrate/,
);
test(
  'a missing noise floor file',
  badOption,
  { noiseFloor: '/nowhere/noise-floor.json' },
  '--noise-floor',
  /ENOENT|no such file/,
);
test('a malformed --set', badOption, { set: ['rate'] }, '--set', /expected key=value/);
test(
  'a --set for a scenario not compared',
  badOption,
  { set: ['node-unreachable.replicas=3'] },
  '--set',
  /node-unreachable is not part of this comparison/,
);
test(
  'an unknown parameter',
  badOption,
  { set: ['nosuch=1'] },
  'apiserver-load',
  /nosuch.*scenario\.<key>|nosuch/,
);
test(
  'a parameter out of range',
  badOption,
  { set: ['rate=0'] },
  'apiserver-load.rate',
  /preset smoke with --set/,
);
test(
  'a baseline directory that does not exist',
  badOption,
  { baseline: '/nowhere/results' },
  '--baseline',
  /not a directory/,
);

test('a profile file with errors reports its own problems under --profiles', (t) => {
  const dir = tempDir();
  const file = join(dir, 'broken.yaml');
  writeFileSync(file, 'this: [is not, a profile\n');
  const problems = problemsOf(t, { profiles: `default,${file}`, scenarios: 'apiserver-load' });
  t.true(problems.length > 0);
  t.true(problems.every((p) => p.path.startsWith('--profiles')));
});

test('a valid request: profiles loaded, parameters resolved, no warnings at --repeat 4', (t) => {
  const setup = setupOf({ set: ['durationSeconds=10'] });
  t.deepEqual(
    setup.profiles.map((p) => p.name),
    ['default', 'tuned'],
  );
  t.deepEqual(setup.params.get('apiserver-load'), { durationSeconds: 10, rate: 30 });
  t.is(setup.request.repeat, 4);
  t.is(setup.request.preset, 'smoke');
  t.true(setup.request.profileFiles.every((f) => f.endsWith('.yaml')));
  t.deepEqual(setup.warnings, []);
});

test('--scenarios all (the default) is every registered scenario', (t) => {
  const setup = setupOf({ scenarios: undefined });
  t.deepEqual(setup.request.scenarios, ['apiserver-load', 'node-unreachable']);
});

test('--set applies to every scenario, scenario.key=value to one', (t) => {
  const setup = setupOf({
    scenarios: 'all',
    set: ['durationSeconds=12', 'apiserver-load.rate=200', 'node-unreachable.replicas=5'],
  });
  t.deepEqual(setup.params.get('apiserver-load'), { durationSeconds: 12, rate: 200 });
  t.deepEqual(setup.params.get('node-unreachable'), { durationSeconds: 12, replicas: 5 });
});

test('--repeat 2 warns that no primary can be decided', (t) => {
  const setup = setupOf({ repeat: '2' });
  t.is(setup.warnings.length, 1);
  t.regex(setup.warnings[0]!, /2 vs 2 runs the smallest possible p-value is 0\.167 \(one-sided\)/);
});

test('one profile with --calibrate is an A/A calibration', (t) => {
  const setup = setupOf({ profiles: 'default', calibrate: true });
  t.deepEqual(
    setup.profiles.map((p) => p.name),
    ['default'],
  );
  t.true(setup.request.calibrate);
});

test('paths are made absolute, so a resume from elsewhere finds them', (t) => {
  const dir = tempDir();
  const setup = parseCompareOptions(
    {
      profiles: 'default,tuned',
      scenarios: 'apiserver-load',
      noiseFloor: undefined,
      baseline: undefined,
    },
    { scenarios: fakeScenarios, cwd: dir },
  );
  t.true(setup.request.profileFiles.every((f) => f.startsWith('/')));
});
