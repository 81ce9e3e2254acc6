import test from 'ava';
import {
  parseNginxLine,
  parseNginxLog,
  proxyStatusClass,
  tryFailure,
} from '../../../../scenarios/node-unreachable/nginx-log.ts';

const line = (o: Record<string, unknown>) =>
  JSON.stringify({
    msec: 1700000010.5,
    request_time: 3.25,
    status: 200,
    phase: 'load',
    connection: 7,
    connection_requests: 2,
    upstream_addr: '',
    upstream_status: '',
    upstream_connect_time: '',
    upstream_response_time: '',
    ...o,
  });

test('a request retried on the next upstream: one try per entry, the failed one without a connect time', (t) => {
  const r = parseNginxLine(
    line({
      upstream_addr: '10.244.1.2:8080, 10.244.2.3:8080',
      upstream_status: '502, 200',
      upstream_connect_time: '-, 0.001',
    }),
  );
  t.deepEqual(r, {
    startMs: 1700000007250,
    durationMs: 3250,
    status: 200,
    phase: 'load',
    tries: [
      { addr: '10.244.1.2:8080', status: 502 },
      { addr: '10.244.2.3:8080', status: 200, connectSeconds: 0.001 },
    ],
  });
  t.is(tryFailure(r!.tries[0]!), 'error');
  t.is(tryFailure(r!.tries[1]!), undefined);
});

test('three failed tries (one a timeout) and the answer nginx gave', (t) => {
  const r = parseNginxLine(
    line({
      status: 502,
      upstream_addr: '10.244.1.2:8080, 10.244.1.3:8080, 10.244.1.4:8080',
      upstream_status: '504, 502, 502',
      upstream_connect_time: '-, -, -',
    }),
  );
  t.is(r?.status, 502);
  t.deepEqual(
    r?.tries.map((x) => tryFailure(x)),
    ['timeout', 'error', 'error'],
  );
});

test('a 503 without upstream (no endpoints) has no tries; the pod log prefix and non-JSON lines are skipped', (t) => {
  const text = [
    'tuneproof/nginx: upstreams: 10.244.1.2:8080',
    '2026/11/27 19:00:00 [notice] 1#1: signal process started',
    line({ status: 503 }),
    `2026-11-27T19:00:01.000000000Z ${line({ status: 499, phase: 'setup' })}`,
    '{"msec": broken',
  ].join('\n');
  const rs = parseNginxLog(text);
  t.deepEqual(
    rs.map((r) => [r.status, r.phase, r.tries.length]),
    [
      [503, 'load', 0],
      [499, 'setup', 0],
    ],
  );
});

test('statuses count as the client view counts them; 499 is the client giving up', (t) => {
  t.deepEqual([200, 404, 499, 500, 502, 503, 504].map(proxyStatusClass), [
    '2xx',
    '4xx',
    'client_closed',
    '5xx',
    '502',
    '503',
    '504',
  ]);
});
