import test from 'ava';
import { checkSlo, meetsSlo } from '../../../harness/compare/slo-check.ts';
import type { Slo } from '../../../harness/results/schema.ts';

const slo = (op: Slo['op'], threshold: number): Slo => ({ op, threshold, source: 'test' });

const meets = test.macro((t, s: Slo, value: number, expected: boolean) => {
  t.is(meetsSlo(s, value), expected);
});
test('<= at the threshold passes', meets, slo('<=', 1000), 1000, true);
test('< at the threshold misses', meets, slo('<', 10), 10, false);
test('>= at the threshold passes', meets, slo('>=', 0.99), 0.99, true);
test('> below misses', meets, slo('>', 0.99), 0.5, false);

test('the side is judged on its median; every run is listed', (t) => {
  const r = checkSlo(slo('<=', 1000), [
    { runId: 'r1', value: 800 },
    { runId: 'r2', value: 1200 },
    { runId: 'r3', value: 900 },
  ]);
  t.is(r.median, 900);
  t.true(r.passed);
  t.deepEqual(
    r.runs.filter((x) => !x.passed).map((x) => x.runId),
    ['r2'],
  );
});

test('a median over the threshold misses', (t) => {
  const r = checkSlo(slo('<=', 10), [
    { runId: 'r1', value: 12 },
    { runId: 'r2', value: 9 },
    { runId: 'r3', value: 11 },
  ]);
  t.false(r.passed);
});
