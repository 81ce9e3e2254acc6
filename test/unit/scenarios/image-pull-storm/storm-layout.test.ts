import test from 'ava';
import { ConfigError } from '../../../../harness/errors.ts';
import { resolveParameters } from '../../../../harness/scenario/parameters.ts';
import {
  CONNECTION_BUCKETS,
  hostsToml,
  shapingScript,
} from '../../../../scenarios/image-pull-storm/registry.ts';
import { imagePullStorm } from '../../../../scenarios/image-pull-storm/scenario.ts';
import { placePods, stormPod } from '../../../../scenarios/image-pull-storm/storm-pods.ts';

test('pods go round-robin over nodes and every node pulls every image', (t) => {
  const p = placePods(8, ['w1', 'w2'], ['i0', 'i1', 'i2']);
  t.deepEqual(
    p.map((x) => `${x.pod}@${x.node}:${x.image}`),
    [
      'storm-0@w1:i0',
      'storm-1@w2:i0',
      'storm-2@w1:i1',
      'storm-3@w2:i1',
      'storm-4@w1:i2',
      'storm-5@w2:i2',
      'storm-6@w1:i0',
      'storm-7@w2:i0',
    ],
  );
  t.deepEqual(placePods(3, [], ['i']), []);
});

test('a storm pod is pinned to its node, runs its image with the pull policy, and stops at once', (t) => {
  const pod = stormPod({ pod: 'storm-0', node: 'w1', image: 'r/i:v' }, 'Always', { a: 'b' });
  t.deepEqual(pod.spec?.nodeSelector, { 'kubernetes.io/hostname': 'w1' });
  t.is(pod.spec?.containers[0]?.image, 'r/i:v');
  t.is(pod.spec?.containers[0]?.imagePullPolicy, 'Always');
  t.is(pod.spec?.terminationGracePeriodSeconds, 0);
  t.deepEqual(pod.metadata?.labels, { a: 'b' });
});

test('containerd hosts.toml sends the registry plain HTTP', (t) => {
  const toml = hostsToml('172.30.2.5:5000');
  t.regex(toml, /^server = "http:\/\/172\.30\.2\.5:5000"$/m);
  t.regex(toml, /^\[host\."http:\/\/172\.30\.2\.5:5000"\]$/m);
  t.regex(toml, /capabilities = \["pull", "resolve"\]/);
});

test('registry shaping: none, a total cap (TBF), a per-connection cap (HTB buckets under the total)', (t) => {
  t.is(shapingScript({ bandwidthMbit: 0, connectionMbit: 0 }), undefined);
  const tbf = shapingScript({ bandwidthMbit: 100, connectionMbit: 0 })!;
  t.regex(tbf, /tc qdisc add dev eth0 root tbf rate 100mbit burst \d+ latency 200ms/);
  t.notRegex(tbf, /htb/);
  const htb = shapingScript({ bandwidthMbit: 200, connectionMbit: 16 })!;
  t.regex(htb, /classid 1:1 htb rate 200mbit ceil 200mbit/);
  t.is(htb.match(/htb rate 100kbit ceil 16mbit/g)?.length, CONNECTION_BUCKETS);
  t.is(
    htb.match(/u32 ht 2:[0-9a-f]+: match u32 0 0 flowid 1:1[0-9a-f]{2}/g)?.length,
    CONNECTION_BUCKETS,
  );
  t.regex(htb, /hashkey mask 0x0000007e at 20 link 2:/);
  t.regex(shapingScript({ bandwidthMbit: 0, connectionMbit: 16 })!, /classid 1:1 htb rate 10gbit/);
});

test('parameters: presets are valid, and impossible storms are refused with their field', (t) => {
  const smoke = resolveParameters(imagePullStorm, 'smoke');
  t.is(smoke.compression, 'gzip');
  t.is(smoke.imagePullPolicy, 'IfNotPresent');
  t.notThrows(() => resolveParameters(imagePullStorm, 'standard'));
  const e = t.throws(() => resolveParameters(imagePullStorm, 'smoke', { images: 10, pods: 5 }), {
    instanceOf: ConfigError,
  });
  t.deepEqual(
    e!.problems.map((p) => p.path),
    ['pods'],
  );
  t.throws(() => resolveParameters(imagePullStorm, 'smoke', { pods: 150, workers: 1 }), {
    instanceOf: ConfigError,
  });
  t.is(imagePullStorm.workers(smoke), 1);
  t.deepEqual(imagePullStorm.requires, ['localRegistry', 'nodeExec']);
});
