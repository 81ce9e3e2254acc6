import test from 'ava';
import {
  compareEffectiveConfig,
  desiredFromSnapshot,
} from '../../../../clusters/kind/snapshot/compare-effective-config.ts';
import type { EffectiveConfigEntry } from '../../../../harness/results/schema.ts';

const recorded: EffectiveConfigEntry[] = [
  {
    component: 'apiServer',
    key: 'max-requests-inflight',
    scope: 'cluster',
    desired: '800',
    observed: '800',
    status: 'applied',
  },
  {
    component: 'kubelet',
    key: 'serializeImagePulls',
    scope: 'per-node',
    node: 'w1',
    desired: false,
    observed: false,
    status: 'applied',
  },
  {
    component: 'sysctls',
    key: 'net.core.somaxconn',
    scope: 'host-global',
    desired: '4096',
    observed: '4096',
    status: 'not-applicable',
    note: 'host-global sysctl',
  },
];

test('the desired list is the snapshot list without what was observed', (t) => {
  const d = desiredFromSnapshot(recorded);
  t.deepEqual(
    d.map((e) => [e.key, e.status, 'observed' in e, e.note]),
    [
      ['max-requests-inflight', 'unverified', false, undefined],
      ['serializeImagePulls', 'unverified', false, undefined],
      ['net.core.somaxconn', 'not-applicable', false, 'host-global sysctl'],
    ],
  );
});

test('identical read-backs have no differences; each kind of difference is named', (t) => {
  t.deepEqual(compareEffectiveConfig(recorded, recorded), []);
  const changed = recorded.map((e) =>
    e.key === 'max-requests-inflight' ? { ...e, observed: '400', status: 'differs' as const } : e,
  );
  t.deepEqual(compareEffectiveConfig(recorded, changed), [
    'apiServer.max-requests-inflight: snapshot "800" (applied), restored "400" (differs)',
  ]);
  t.deepEqual(compareEffectiveConfig(recorded, recorded.slice(1)), [
    'apiServer.max-requests-inflight: read back on the snapshot, missing after the restore',
  ]);
  t.deepEqual(
    compareEffectiveConfig(recorded.slice(1), recorded).map((p) => p.split(':')[0]),
    ['apiServer.max-requests-inflight'],
  );
  const unverified = recorded.map((e) =>
    e.node === 'w1' ? { ...e, observed: undefined, status: 'unverified' as const } : e,
  );
  t.is(compareEffectiveConfig(recorded, unverified).length, 1);
});
