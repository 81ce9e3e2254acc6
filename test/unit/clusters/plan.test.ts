import test from 'ava';
import { renderCniConfig, routeCommands } from '../../../clusters/kind/cni.ts';
import { checkClusterName, pickSubnet, planCluster } from '../../../clusters/kind/plan.ts';

test('picks the first free 172.30.N.0/24', (t) => {
  t.is(pickSubnet(['172.17.0.0/16', '172.30.0.0/24', '172.30.1.0/24']), '172.30.2.0/24');
  t.is(pickSubnet([]), '172.30.0.0/24');
  t.throws(() => pickSubnet(['172.16.0.0/12']));
});

test('plans kind-style node names and fixed IPs', (t) => {
  const plan = planCluster('tp-1', 2, '172.30.4.0/24');
  t.deepEqual(
    plan.nodes.map((n) => [n.name, n.role, n.ip]),
    [
      ['tp-1-control-plane', 'control-plane', '172.30.4.10'],
      ['tp-1-worker', 'worker', '172.30.4.11'],
      ['tp-1-worker2', 'worker', '172.30.4.12'],
    ],
  );
  t.is(plan.network.gateway, '172.30.4.1');
  t.truthy(checkClusterName('Bad_Name'));
  t.is(checkClusterName('tp-abc123'), undefined);
});

test('CNI: host-local on the node podCIDR, routes to every other node, one masquerade rule', (t) => {
  const conf = JSON.parse(renderCniConfig('10.244.1.0/24'));
  t.is(conf.plugins[0].type, 'ptp');
  t.deepEqual(conf.plugins[0].ipam.ranges, [[{ subnet: '10.244.1.0/24' }]]);
  const nodes = [
    { name: 'a', ip: '172.30.0.10', podCIDR: '10.244.0.0/24' },
    { name: 'b', ip: '172.30.0.11', podCIDR: '10.244.1.0/24' },
    { name: 'c', ip: '172.30.0.12', podCIDR: '10.244.2.0/24' },
  ];
  const cmds = routeCommands(nodes[1]!, nodes, '10.244.0.0/16');
  t.regex(cmds, /ip route replace 10\.244\.0\.0\/24 via 172\.30\.0\.10/);
  t.regex(cmds, /ip route replace 10\.244\.2\.0\/24 via 172\.30\.0\.12/);
  t.notRegex(cmds, /10\.244\.1\.0\/24 via/);
  t.regex(cmds, /-s 10\.244\.0\.0\/16 ! -d 10\.244\.0\.0\/16 .*MASQUERADE/);
});
