import test from 'ava';
import { ConfigError } from '../../../../harness/errors.ts';
import { resolveParameters } from '../../../../harness/scenario/parameters.ts';
import {
  faultOf,
  faultVariants,
  timeoutsOf,
} from '../../../../scenarios/node-unreachable/parameters.ts';
import { nodeUnreachable } from '../../../../scenarios/node-unreachable/scenario.ts';

test('presets: smoke heals within 90 s, standard waits long enough for default tolerations', (t) => {
  const smoke = resolveParameters(nodeUnreachable, 'smoke');
  const standard = resolveParameters(nodeUnreachable, 'standard');
  t.is(smoke.maxFaultSeconds, 90);
  // upstream defaults: ~50 s to NotReady + 300 s toleration, plus replacements
  t.true(standard.maxFaultSeconds >= 400);
  t.true(standard.workers >= 2 && smoke.workers >= 2);
  t.deepEqual(nodeUnreachable.publishPorts?.(smoke), [30080]);
});

test('every fault variant is a provider capability', (t) => {
  t.deepEqual(Object.keys(faultOf).sort(), [...faultVariants].sort());
  t.true(faultOf.network.requires.includes('partitionNode'));
  // an exec-based fault (iptables): any provider with node exec has it (issue 9)
  t.true(faultOf.kubelet.requires.includes('nodeExec'));
  t.true(faultOf.pause.requires.includes('pauseNode'));
});

const rejects = test.macro((t, overrides: Record<string, unknown>, path: string) => {
  const e = t.throws(() => resolveParameters(nodeUnreachable, 'smoke', overrides), {
    instanceOf: ConfigError,
  });
  t.true(
    e!.problems.some((p) => p.path === path),
    e!.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
  );
});

test(
  'one worker is refused: the node controller stops evicting when every node is NotReady',
  rejects,
  { workers: 1 },
  'workers',
);
test('the faulted worker must exist', rejects, { workers: 2, faultWorker: 3 }, 'faultWorker');
test('an unknown fault is refused', rejects, { fault: 'reboot' }, 'fault');
test(
  'a client timeout at or below the proxy timeout is refused (504s would read as timeouts)',
  rejects,
  { requestTimeoutSeconds: 10, proxyServerTimeoutSeconds: 10 },
  'requestTimeoutSeconds',
);
test('the NodePort must be in the NodePort range', rejects, { nodePort: 8080 }, 'nodePort');

test('nginx is the default proxy, with ingress-nginx timeouts; HAProxy keeps its own', (t) => {
  const nginx = resolveParameters(nodeUnreachable, 'smoke');
  t.is(nginx.proxy, 'nginx');
  t.deepEqual(timeoutsOf(nginx), { connect: 5, server: 60, request: 65 });
  const haproxy = resolveParameters(nodeUnreachable, 'smoke', { proxy: 'haproxy' });
  t.deepEqual(timeoutsOf(haproxy), { connect: 2, server: 10, request: 15 });
  const set = resolveParameters(nodeUnreachable, 'smoke', {
    proxyServerTimeoutSeconds: 20,
    requestTimeoutSeconds: 30,
  });
  t.deepEqual(timeoutsOf(set), { connect: 5, server: 20, request: 30 });
});
test(
  "nginx's default read timeout (60 s) with a shorter client timeout is refused",
  rejects,
  { requestTimeoutSeconds: 30 },
  'requestTimeoutSeconds',
);
test(
  'active health checks are HAProxy only',
  rejects,
  { proxyHealthCheck: true },
  'proxyHealthCheck',
);
test('an unknown proxy is refused', rejects, { proxy: 'envoy' }, 'proxy');
