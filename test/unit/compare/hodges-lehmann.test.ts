import test from 'ava';
import { hodgesLehmann } from '../../../harness/compare/hodges-lehmann.ts';

test('median of pairwise differences, odd count (by hand)', (t) => {
  // differences 4-1, 4-2, 4-3, 6-1, 6-2, 6-3 = 3 2 1 5 4 3 -> sorted 1 2 3 3 4 5 -> median 3
  t.is(hodgesLehmann([1, 2, 3], [4, 6]), 3);
});

test('median of pairwise differences, even count (by hand)', (t) => {
  // 12-{10,20,30,40} = 2 -8 -18 -28; 25-{...} = 15 5 -5 -15
  // sorted -28 -18 -15 -8 -5 2 5 15 -> (-8 + -5) / 2
  t.is(hodgesLehmann([10, 20, 30, 40], [12, 25]), -6.5);
});

test('a pure shift is recovered exactly', (t) => {
  const a = [101, 97, 110, 95, 130, 99];
  t.is(
    hodgesLehmann(
      a,
      a.map((x) => x + 7),
    ),
    7,
  );
});

test('robust to one wild run, unlike the difference of means', (t) => {
  const a = [10, 11, 12, 13, 14];
  const b = [12, 13, 14, 15, 1000];
  t.is(hodgesLehmann(a, b), 2);
});

test('identical samples give 0; swapping sides flips the sign', (t) => {
  t.is(hodgesLehmann([5, 5, 5], [5, 5]), 0);
  t.is(hodgesLehmann([4, 6], [1, 2, 3]), -3);
});

test('empty sides are refused', (t) => {
  t.throws(() => hodgesLehmann([], [1]), { instanceOf: RangeError });
});
