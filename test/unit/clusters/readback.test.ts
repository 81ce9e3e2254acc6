import test from 'ava';
import { httpBody, parseFlags, parseLimits, parsePodView } from '../../../clusters/readback.ts';

test('parses flags from a NUL-separated command line', (t) => {
  const flags = parseFlags(
    'kube-apiserver\0--max-requests-inflight=1500\0--watch-cache\0--etcd-servers=https://127.0.0.1:2379\0--v\x002\0',
  );
  t.is(flags.get('max-requests-inflight'), '1500');
  t.is(flags.get('watch-cache'), 'true');
  t.is(flags.get('etcd-servers'), 'https://127.0.0.1:2379');
  t.is(flags.get('v'), '2');
});

test('parses soft limits from /proc/<pid>/limits', (t) => {
  const text = `Limit                     Soft Limit           Hard Limit           Units
Max processes             unlimited            unlimited            processes
Max open files            1048576              1048576              files
`;
  t.deepEqual(parseLimits(text), { nproc: 'unlimited', nofile: 1048576 });
});

test('takes the body of a raw HTTP response', (t) => {
  t.is(httpBody('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"a":1}'), '{"a":1}');
});

test('the pod view: a pod container with its limits and its netns sysctls', (t) => {
  const view = parsePodView(
    [
      'pod 4242 canary',
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max open files            20000                20000                files',
      'sysctls',
      'net.core.somaxconn = 4096',
      'net.ipv4.ip_local_port_range = 32768\t60999',
      '',
    ].join('\n'),
  );
  t.is(view.pod, 'canary');
  t.deepEqual(view.limits, { nofile: 20000 });
  t.is(view.sysctls.get('net.core.somaxconn'), '4096');
  t.is(view.sysctls.get('net.ipv4.ip_local_port_range'), '32768\t60999');
});

test('the pod view with no pod on the node: sysctls of a new netns, no limits', (t) => {
  const view = parsePodView('pod -\nsysctls\nnet.core.somaxconn = 4096\n');
  t.is(view.pod, undefined);
  t.deepEqual(view.limits, {});
  t.is(view.sysctls.get('net.core.somaxconn'), '4096');
});
