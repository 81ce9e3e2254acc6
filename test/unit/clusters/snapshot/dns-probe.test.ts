import test from 'ava';
import dnsPacket from 'dns-packet';
import {
  nthAddress,
  parseAnswer,
  queryEscapes,
} from '../../../../clusters/kind/snapshot/dns-probe.ts';

const od = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

test('nthAddress: the Service and DNS addresses kubeadm picks', (t) => {
  t.is(nthAddress('10.96.0.0/16', 1), '10.96.0.1');
  t.is(nthAddress('10.96.0.0/16', 10), '10.96.0.10');
  t.is(nthAddress('10.0.0.0/8', 256), '10.0.1.0');
});

test('the query escapes decode to an A question with recursion desired', (t) => {
  const escapes = queryEscapes('kubernetes.default.svc.cluster.local', 4242);
  t.regex(escapes, /^(\\x[0-9a-f]{2})+$/);
  const bytes = Buffer.from(escapes.replace(/\\x/g, ''), 'hex');
  const q = dnsPacket.decode(bytes);
  t.is(q.id, 4242);
  t.deepEqual(
    q.questions?.map((x) => [x.type, x.name]),
    [['A', 'kubernetes.default.svc.cluster.local']],
  );
});

test('parseAnswer reads A records, and refuses errors and foreign ids', (t) => {
  const answer = dnsPacket.encode({
    type: 'response',
    id: 7,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local' }],
    answers: [{ type: 'A', name: 'kubernetes.default.svc.cluster.local', data: '10.96.0.1' }],
  });
  t.deepEqual(parseAnswer(od(answer), 7), ['10.96.0.1']);
  t.throws(() => parseAnswer(od(answer), 8), { message: /not 8/ });
  const nxdomain = dnsPacket.encode({
    type: 'response',
    id: 9,
    flags: 3,
    questions: [{ type: 'A', name: 'nope.cluster.local' }],
  });
  t.throws(() => parseAnswer(od(nxdomain), 9), { message: /response code 3/ });
  t.throws(() => parseAnswer('', 1), { message: /no DNS answer/ });
});
