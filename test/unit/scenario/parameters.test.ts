import test from 'ava';
import { ConfigError } from '../../../harness/errors.ts';
import { parseOverrides, resolveParameters } from '../../../harness/scenario/parameters.ts';
import { scenarios } from '../../../scenarios/index.ts';

test('every scenario preset is valid against its own schema', (t) => {
  for (const s of Object.values(scenarios)) {
    for (const preset of ['smoke', 'standard'] as const)
      t.notThrows(() => resolveParameters(s, preset), `${s.name} ${preset}`);
  }
});

test('overrides are parsed as JSON where they can be, and every bad one is reported with its path', (t) => {
  t.deepEqual(parseOverrides(['rate=200', 'name=abc', 'mix={"get":1}']), {
    rate: 200,
    name: 'abc',
    mix: { get: 1 },
  });
  const s = scenarios['apiserver-load']!;
  const e = t.throws(
    () => resolveParameters(s, 'smoke', { rate: -1, durationSeconds: 'x', bogus: 1 }),
    { instanceOf: ConfigError },
  );
  const paths = e!.problems.map((p) => p.path).sort();
  t.deepEqual(paths, ['', 'durationSeconds', 'rate']);
  t.regex(e!.message, /bogus/);
});
