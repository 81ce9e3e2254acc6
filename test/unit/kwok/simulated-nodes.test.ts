import test from 'ava';
import { parseAllDocuments } from 'yaml';
import {
  managedSelector,
  processUsage,
  simulatedNodeLabels,
  simulatedNodeManifest,
  simulatedNodeSlots,
  simulatorCadence,
  simulatorConfig,
  simulatorStages,
  zoneName,
} from '../../../clusters/kwok/index.ts';
import { loadProfile } from '../../../harness/profiles/index.ts';

test('nodes spread round-robin over zones; zone sizes differ by at most one', (t) => {
  const slots = simulatedNodeSlots('c-sim', 7, 3);
  const count = (z: string) => slots.filter((s) => s.zone === z).length;
  t.deepEqual([count('zone-a'), count('zone-b'), count('zone-c')], [3, 2, 2]);
  t.is(new Set(slots.map((s) => s.name)).size, 7);
  t.is(slots[0]!.name, 'c-sim-a-1');
  t.is(slots[3]!.name, 'c-sim-a-2');
  t.is(zoneName(27), 'zone-27');
});

test('a simulated node carries its zone, the managed label and the NoSchedule taint', (t) => {
  const n = simulatedNodeManifest({ name: 'x-a-1', zone: 'zone-a' });
  t.is(n.metadata?.labels?.[simulatedNodeLabels.zone], 'zone-a');
  t.is(managedSelector, `${simulatedNodeLabels.heartbeat}=on`);
  t.is(n.metadata?.labels?.[simulatedNodeLabels.heartbeat], 'on');
  t.deepEqual(n.spec?.taints?.[0]?.effect, 'NoSchedule');
  // out of its zone's health count while the zone is being created (kubernetes#104639)
  t.is(n.metadata?.labels?.['node.kubernetes.io/exclude-disruption'], 'true');
});

test('cadence follows the profile: lease renewed at a quarter of its duration', (t) => {
  const { profile } = loadProfile('default');
  const c = simulatorCadence(profile!);
  t.deepEqual(c, { leaseDurationSeconds: 40, leaseRenewSeconds: 10, statusReportSeconds: 300 });
});

test("kwok's config: its options, then one stage per lifecycle step, with the report delay", (t) => {
  const cadence = { leaseDurationSeconds: 20, leaseRenewSeconds: 5, statusReportSeconds: 60 };
  const docs = parseAllDocuments(simulatorConfig(cadence)).map((d) => d.toJS());
  t.is(docs[0].kind, 'KwokConfiguration');
  t.is(docs[0].options.nodeLeaseDurationSeconds, 20);
  t.is(docs[0].options.manageNodesWithLabelSelector, managedSelector);
  const stages = docs.slice(1);
  t.deepEqual(
    stages.map((s) => s.metadata.name),
    simulatorStages(cadence).map((s) => s.name),
  );
  const report = stages.find((s) => s.metadata.name === 'node-status-report');
  t.is(report.spec.delay.durationMilliseconds, 60_000);
  t.regex(report.spec.next.statusTemplate, /lastHeartbeatTime: \{\{ \$now \| Quote \}\}/);
  const ready = stages.find((s) => s.metadata.name === 'node-ready');
  t.regex(
    ready.spec.next.statusTemplate,
    /allocatable:\n {2}cpu: "32"\n {2}memory: 256Gi\n {2}pods: "110"/,
  );
  const running = stages.find((s) => s.metadata.name === 'pod-running');
  t.regex(running.spec.next.statusTemplate, /phase: Running/);
  t.true(stages.find((s) => s.metadata.name === 'pod-remove').spec.next.delete);
});

test("a process's CPU and memory come from /proc; a gone process gives nothing", (t) => {
  const u = processUsage(process.pid);
  t.truthy(u);
  t.true(u!.cpuSeconds > 0 && u!.rssBytes > 1_000_000 && u!.peakRssBytes >= u!.rssBytes);
  t.is(processUsage(2 ** 22 + 1), undefined);
});
