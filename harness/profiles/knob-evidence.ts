import type { ScenarioName } from './catalogue-types.ts';

/**
 * Which test shows a knob moving a scenario's numbers on a real cluster, in the direction its
 * mechanism predicts. A knob's `scenarios` in the catalogue say where it *should* matter; this
 * list says where that has been demonstrated, and `profile explain` shows the difference (a user
 * can tell "no scenario here exercises this knob" from "this knob does not matter at my load").
 *
 * Each entry names a real-cluster test by file and title; a unit test checks that the test exists
 * and is not skipped, so a claim disappears from the list when its test does.
 */
export interface KnobEvidence {
  /** Knob ids (`component.key`) whose values the test's two profiles, or profile and default, differ in. */
  knobs: readonly string[];
  scenario: ScenarioName;
  /** The metric that moves, as the scenario records it. */
  metric: string;
  /** The prediction the test holds the numbers against, with its formula. */
  prediction: string;
  /** Against what: a run of the default profile, or the value the mechanism predicts. */
  against: 'the default profile' | 'the predicted value' | 'another fixture profile';
  /** The test: a file under test/integration and the title of one of its tests. */
  test: { file: string; title: string };
}

export const knobEvidence: readonly KnobEvidence[] = [
  {
    knobs: ['apiServer.max-requests-inflight', 'apiServer.max-mutating-requests-inflight'],
    scenario: 'apiserver-load',
    metric: 'api.responses{status=429}, apf.rejected_total',
    prediction:
      'seats in use = arrival rate x latency: with 1 seat each, 150 requests/s overflow the queues and are rejected with 429; the default serves them without errors',
    against: 'the default profile',
    test: {
      file: 'test/integration/scenarios/apiserver-load.test.ts',
      title: 'apiserver-load shows 429s when the apiserver has almost no concurrency',
    },
  },
  {
    knobs: ['kubelet.serializeImagePulls', 'kubelet.maxParallelImagePulls'],
    scenario: 'image-pull-storm',
    metric: 'storm completion, pulls in flight, pull queue time',
    prediction:
      'serialized: one pull at a time, the last queued behind the others (completion ~ sum of pulls); parallel: pulls overlap (completion ~ the longest pull)',
    against: 'another fixture profile',
    test: {
      file: 'test/integration/scenarios/image-pull-storm.test.ts',
      title:
        'a pull storm with parallel image pulls completes measurably faster than with serialized pulls',
    },
  },
  {
    knobs: [
      'controllerManager.node-monitor-grace-period',
      'controllerManager.node-monitor-period',
      'apiServer.default-unreachable-toleration-seconds',
    ],
    scenario: 'node-unreachable',
    metric: 'node NotReady and first eviction after the fault',
    prediction:
      'NotReady = last lease renewal + node-monitor-grace-period (+ up to node-monitor-period); eviction = taint + default-unreachable-toleration-seconds',
    against: 'the predicted value',
    test: {
      file: 'test/integration/scenarios/node-unreachable.test.ts',
      title:
        'a partitioned worker is evicted inside the window its profile predicts, and users see errors only around the fault',
    },
  },
  {
    knobs: [
      'controllerManager.node-eviction-rate',
      'controllerManager.secondary-node-eviction-rate',
      'controllerManager.unhealthy-zone-threshold',
      'controllerManager.large-cluster-size-threshold',
    ],
    scenario: 'zone-outage',
    metric: 'taint rate, zone state',
    prediction:
      'below unhealthy-zone-threshold the zone is Normal and nodes are tainted at node-eviction-rate (one per 1/rate s); above it, in a zone larger than large-cluster-size-threshold, at secondary-node-eviction-rate',
    against: 'the predicted value',
    test: {
      file: 'test/integration/scenarios/zone-outage.test.ts',
      title:
        'default eviction rate: M below the threshold is tainted at 0.1/s; above it, at the secondary rate',
    },
  },
  {
    knobs: ['controllerManager.node-eviction-rate'],
    scenario: 'zone-outage',
    metric: 'zone_outage.taint_rate',
    prediction:
      'a Normal zone is tainted at node-eviction-rate: 1/s against the default 0.1/s, about 10x faster for the same outage',
    against: 'another fixture profile',
    test: {
      file: 'test/integration/scenarios/zone-outage.test.ts',
      title: 'node-eviction-rate 1 taints the same outage about 10x faster',
    },
  },
  {
    knobs: ['controllerManager.kube-api-qps', 'controllerManager.kube-api-burst'],
    scenario: 'pod-churn',
    metric: 'churn.create.seconds, churn.delete.seconds',
    prediction:
      "the ReplicaSet controller's creates and deletes take tokens from its client's bucket: N pods need >= (N - burst) / qps s (qps 5, burst 10: 100 pods >= 18 s); tuned 100/100 creates them faster than the default's bound of (100 - 30) / 20 = 3.5 s",
    against: 'the predicted value',
    test: {
      file: 'test/integration/scenarios/pod-churn.test.ts',
      title:
        'a controller-manager kube-api-qps below the default makes N pods take at least (N - burst) / qps to be created, a raised one does not',
    },
  },
  {
    knobs: ['scheduler.kube-api-qps', 'scheduler.kube-api-burst'],
    scenario: 'pod-churn',
    metric: 'churn.schedule.seconds',
    prediction:
      "each binding is one request from the scheduler's bucket: N pods need >= (N - burst) / qps s to be bound (qps 5, burst 10: 100 pods >= 18 s while the default controller-manager creates them in ~4 s)",
    against: 'the predicted value',
    test: {
      file: 'test/integration/scenarios/pod-churn.test.ts',
      title:
        'a scheduler kube-api-qps below the default makes N pods take at least (N - burst) / qps to be bound',
    },
  },
];

/** The evidence for one knob, by id. */
export function evidenceFor(id: string): KnobEvidence[] {
  return knobEvidence.filter((e) => e.knobs.includes(id));
}

/**
 * Host-global knobs cannot differ between kind nodes (one kernel for all), so tuneproof reports
 * them as not applied. What would show each on a host where it can be set: a real cluster through
 * the existing provider, where a node's kernel is its own.
 */
export const onRealHost: Readonly<Record<string, string>> = Object.fromEntries(
  [
    [
      [
        'kubeProxy.conntrack.maxPerCore',
        'kubeProxy.conntrack.min',
        'sysctls.net.netfilter.nf_conntrack_max',
        'sysctls.net.netfilter.nf_conntrack_buckets',
      ],
      'node-unreachable user traffic or a connection flood: once the table is full, new connections are dropped ("nf_conntrack: table full" in the kernel log) and clients see connect timeouts',
    ],
    [
      [
        'sysctls.net.ipv4.neigh.default.gc_thresh1',
        'sysctls.net.ipv4.neigh.default.gc_thresh2',
        'sysctls.net.ipv4.neigh.default.gc_thresh3',
      ],
      'zone-outage with thousands of real nodes on one L2 network: neighbour table overflow drops packets (simulated nodes have no neighbour entries)',
    ],
    [
      ['sysctls.net.core.netdev_max_backlog'],
      'a connection flood: input packets dropped when the backlog is full (/proc/net/softnet_stat, second column)',
    ],
    [
      ['sysctls.fs.file-max'],
      'a connection flood: ENFILE when the whole host runs out of file handles',
    ],
    [
      ['sysctls.fs.inotify.max_user_instances', 'sysctls.fs.inotify.max_user_watches'],
      'image-pull-storm or pod churn with many pods per node: kubelet and containerd fail to watch new containers (in kind this limits how many nodes fit on one host)',
    ],
    [
      ['sysctls.vm.swappiness', 'sysctls.vm.max_map_count'],
      'no scenario here: memory pressure on a real node (swappiness) or a workload mapping many areas (max_map_count)',
    ],
  ].flatMap(([ids, text]) => (ids as string[]).map((id) => [id, text as string])),
);
