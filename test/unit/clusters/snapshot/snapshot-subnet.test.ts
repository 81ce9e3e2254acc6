import test from 'ava';
import {
  pickSnapshotSubnet,
  subnetTaken,
} from '../../../../clusters/kind/snapshot/snapshot-subnet.ts';

test('a snapshot subnet is in the upper half of 172.30/16, starting where the key says', (t) => {
  const a = pickSnapshotSubnet('00000000ffff', [], []);
  t.is(a, '172.30.128.0/24');
  const b = pickSnapshotSubnet('00000005ffff', [], []);
  t.is(b, '172.30.133.0/24');
  // the same key gets the same subnet while it is free
  t.is(pickSnapshotSubnet('00000005ffff', [], []), b);
});

test('a snapshot subnet avoids Docker networks and, where it can, other snapshots', (t) => {
  t.is(pickSnapshotSubnet('00000000', ['172.30.128.0/24'], []), '172.30.129.0/24');
  t.is(pickSnapshotSubnet('00000000', [], ['172.30.128.0/24']), '172.30.129.0/24');
  // wraps around the upper half
  t.is(pickSnapshotSubnet('0000007f', ['172.30.255.0/24'], []), '172.30.128.0/24');
  // every subnet another snapshot's: share one rather than fail
  const all = Array.from({ length: 128 }, (_, i) => `172.30.${128 + i}.0/24`);
  t.is(pickSnapshotSubnet('00000000', [], all), '172.30.128.0/24');
  t.throws(() => pickSnapshotSubnet('00000000', ['172.30.0.0/16'], []));
});

test('subnetTaken sees exact and wider overlaps, not neighbours or IPv6', (t) => {
  t.true(subnetTaken('172.30.140.0/24', ['172.30.140.0/24']));
  t.true(subnetTaken('172.30.140.0/24', ['172.16.0.0/12']));
  t.true(subnetTaken('172.30.140.0/24', ['172.30.140.128/25']));
  t.false(subnetTaken('172.30.140.0/24', ['172.30.141.0/24', '172.17.0.0/16']));
  t.false(subnetTaken('172.30.140.0/24', ['fd00::/64']));
});
