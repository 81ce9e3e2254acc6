import ipaddr from 'ipaddr.js';

/**
 * A snapshot's cluster keeps its addresses: node IPs are in its certificates, kubeconfigs,
 * static pod manifests and etcd, and rewriting them on every restore (as kind's entrypoint does
 * after a restart) would make a restored cluster differ from the one snapshotted. So a restore
 * recreates the network with the snapshot's subnet, which must then be free: snapshots take
 * theirs from the upper half of 172.30.0.0/16 (fresh clusters count up from 172.30.0.0/24), one
 * per snapshot where possible, so a restore rarely meets a network holding its subnet.
 */
const firstThird = 128;

/**
 * The subnet for a new snapshot's template cluster: starting at a place derived from the key,
 * the first 172.30.N.0/24 (N >= 128) that overlaps no Docker network and, if possible, is no
 * other snapshot's.
 */
export function pickSnapshotSubnet(
  key: string,
  dockerSubnets: readonly string[],
  snapshotSubnets: readonly string[],
): string {
  const span = 256 - firstThird;
  const start = Number.parseInt(key.slice(0, 8), 16) % span;
  const candidates = Array.from(
    { length: span },
    (_, i) => `172.30.${firstThird + ((start + i) % span)}.0/24`,
  ).filter((s) => !subnetTaken(s, dockerSubnets));
  const free = candidates.find((s) => !snapshotSubnets.includes(s)) ?? candidates[0];
  if (free === undefined)
    throw new Error('no free 172.30.N.0/24 (N >= 128) for a snapshot cluster');
  return free;
}

/** Whether `subnet` overlaps any of Docker's networks' subnets (IPv6 ones never do). */
export function subnetTaken(subnet: string, dockerSubnets: readonly string[]): boolean {
  const mine = ipaddr.IPv4.parseCIDR(subnet);
  return dockerSubnets.some((s) => {
    if (!ipaddr.IPv4.isValidCIDR(s)) return false;
    const other = ipaddr.IPv4.parseCIDR(s);
    // two CIDR blocks overlap exactly when one holds the other's first address
    return mine[0].match(other) || other[0].match(mine);
  });
}
