import test from 'ava';
import { statusClass } from '../../../harness/load/k6-aggregate.ts';

const cls = test.macro((t, status: string, errorCode: string | undefined, want: string) => {
  t.is(statusClass(status, errorCode), want);
});
test('200 is 2xx', cls, '200', undefined, '2xx');
test('429 stays 429', cls, '429', undefined, '429');
test('502 stays 502', cls, '502', undefined, '502');
test('500 is 5xx', cls, '500', undefined, '5xx');
test('404 is 4xx', cls, '404', undefined, '4xx');
test('status 0 with 1050 is a timeout', cls, '0', '1050', 'timeout');
test('status 0 otherwise is a connection error', cls, '0', '1211', 'conn_error');
