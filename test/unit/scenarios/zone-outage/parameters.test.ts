import test from 'ava';
import { ConfigError } from '../../../../harness/errors.ts';
import { resolveParameters } from '../../../../harness/scenario/parameters.ts';
import { zoneSizes } from '../../../../scenarios/zone-outage/parameters.ts';
import { zoneOutage } from '../../../../scenarios/zone-outage/scenario.ts';
import { workloadManifest } from '../../../../scenarios/zone-outage/workload.ts';

test('smoke: 200 nodes in two zones, M below the default unhealthy-zone-threshold', (t) => {
  const p = resolveParameters(zoneOutage, 'smoke');
  const size = zoneSizes(p.simulatedNodes, p.zones).get(p.zone)!;
  t.is(size, 100);
  t.true(p.outageNodes / size < 0.55);
  t.deepEqual(zoneOutage.simulatedNodes?.(p), { count: 200, zones: 2 });
});

const rejects = test.macro((t, overrides: Record<string, unknown>, path: string) => {
  const e = t.throws(() => resolveParameters(zoneOutage, 'smoke', overrides), {
    instanceOf: ConfigError,
  });
  t.true(
    e!.problems.some((p) => p.path === path),
    e!.problems.map((p) => `${p.path}: ${p.message}`).join('; '),
  );
});
test('rejects a zone that does not exist', rejects, { zone: 'zone-c' }, 'zone');
test('rejects more failed nodes than the zone has', rejects, { outageNodes: 101 }, 'outageNodes');

test('the workload tolerates the taint only as long as asked', (t) => {
  const withSeconds = workloadManifest({
    zone: 'zone-a',
    replicas: 3,
    image: 'i',
    tolerationSeconds: 5,
  });
  t.regex(withSeconds, /tolerationSeconds: 5/);
  t.regex(withSeconds, /topology.kubernetes.io\/zone: zone-a/);
  t.notRegex(workloadManifest({ zone: 'zone-a', replicas: 3, image: 'i' }), /tolerationSeconds/);
});
