import test from 'ava';
import { bootstrapCi } from '../../../harness/compare/bootstrap-ci.ts';
import { hodgesLehmann } from '../../../harness/compare/hodges-lehmann.ts';
import { deriveSeed, seededRandom } from '../../../harness/compare/seeded-random.ts';

const a = [101, 97, 110, 95, 130, 99, 104];
const b = [121, 118, 135, 112, 150, 117, 125];

test('the same seed gives the same interval, to the bit', (t) => {
  t.deepEqual(bootstrapCi(a, b, { seed: 42 }), bootstrapCi(a, b, { seed: 42 }));
});

test('the seeded source is reproducible and in [0, 1)', (t) => {
  const x = seededRandom(1);
  const y = seededRandom(1);
  const xs = Array.from({ length: 1000 }, () => x());
  t.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => y()),
  );
  t.true(xs.every((v) => v >= 0 && v < 1));
  t.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, seededRandom(2)));
});

test('another seed moves the bounds a little, not the conclusion', (t) => {
  const one = bootstrapCi(a, b, { seed: 1 });
  const two = bootstrapCi(a, b, { seed: 2 });
  t.true(one.low > 0 && two.low > 0);
  t.true(Math.abs(one.low - two.low) < 5);
});

test('defaults: 95%, 2000 resamples, reported back', (t) => {
  const ci = bootstrapCi(a, b);
  t.is(ci.confidence, 0.95);
  t.is(ci.resamples, 2000);
  t.is(typeof ci.seed, 'number');
});

test('a clear shift: the interval holds the estimate and excludes 0', (t) => {
  const ci = bootstrapCi(a, b);
  const hl = hodgesLehmann(a, b);
  t.true(ci.low <= hl && hl <= ci.high);
  t.true(ci.low > 0);
});

test('no shift: the interval straddles 0', (t) => {
  const ci = bootstrapCi(a, [...a].reverse());
  t.true(ci.low < 0 && ci.high > 0);
});

test('a wider confidence gives a wider interval', (t) => {
  const c80 = bootstrapCi(a, b, { confidence: 0.8 });
  const c99 = bootstrapCi(a, b, { confidence: 0.99 });
  t.true(c99.high - c99.low >= c80.high - c80.low);
});

test('constant data: a zero-width interval at the shift', (t) => {
  const ci = bootstrapCi([5, 5, 5], [8, 8, 8]);
  t.is(ci.low, 3);
  t.is(ci.high, 3);
});

test('bad options are refused', (t) => {
  t.throws(() => bootstrapCi(a, b, { confidence: 1 }), { instanceOf: RangeError });
  t.throws(() => bootstrapCi(a, b, { resamples: 0 }), { instanceOf: RangeError });
  t.throws(() => bootstrapCi([], b), { instanceOf: RangeError });
});

test('per-metric seeds differ by metric and are stable', (t) => {
  t.is(deriveSeed(7, 'x/api.latency'), deriveSeed(7, 'x/api.latency'));
  t.not(deriveSeed(7, 'x/api.latency'), deriveSeed(7, 'x/api.errors'));
  t.not(deriveSeed(7, 'x/api.latency'), deriveSeed(8, 'x/api.latency'));
});
