import test from 'ava';
import { formatGoDuration, normalise, parseGoDuration } from '../../../harness/profiles/index.ts';
import { checkValue } from '../../../harness/profiles/values.ts';

const duration = test.macro((t, text: string, ms: number | undefined) => {
  t.is(parseGoDuration(text), ms);
});
test('parses 20s', duration, '20s', 20_000);
test('parses 1m30s', duration, '1m30s', 90_000);
test('parses 300ms', duration, '300ms', 300);
test('parses 1.5h', duration, '1.5h', 5_400_000);
test('parses 0', duration, '0', 0);
test('rejects 10', duration, '10', undefined);
test('rejects 10 s', duration, '10 s', undefined);
test('rejects empty', duration, '', undefined);

test('formats durations the way Go prints them', (t) => {
  t.is(formatGoDuration(60_000), '1m0s');
  t.is(formatGoDuration(86_400_000), '24h0m0s');
  t.is(formatGoDuration(20_000), '20s');
  t.is(formatGoDuration(1500), '1.5s');
  t.is(formatGoDuration(250), '250ms');
});

test('normalises equal meanings to equal values', (t) => {
  t.is(normalise({ kind: 'duration' }, '1m'), normalise({ kind: 'duration' }, '1m0s'));
  t.is(normalise({ kind: 'int' }, '1500'), 1500);
  t.is(normalise({ kind: 'bool' }, 'false'), false);
  t.is(normalise({ kind: 'sysctl' }, '32768\t60999'), '32768 60999');
});

test('checks types and ranges', (t) => {
  t.is(checkValue({ kind: 'int', min: 0 }, 5), undefined);
  t.regex(checkValue({ kind: 'int', min: 0 }, 1.5) ?? '', /integer/);
  t.regex(checkValue({ kind: 'int', min: 0, max: 10 }, 11) ?? '', /between 0 and 10/);
  t.regex(checkValue({ kind: 'enum', values: ['a', 'b'] }, 'c') ?? '', /one of a, b/);
  t.regex(
    checkValue({ kind: 'duration', minMs: 1000 }, '500ms') ?? '',
    /out of range: must be >= 1s/,
  );
  t.is(checkValue({ kind: 'sysctl', min: 1, max: 65535, count: 2 }, '32768 60999'), undefined);
  t.regex(checkValue({ kind: 'sysctl' }, 'lots') ?? '', /integer/);
});
