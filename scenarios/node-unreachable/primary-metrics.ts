import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "how fast does the cluster react to a lost node, and what do users see?".
 * Margins: the NotReady time moves in steps of the lease renewal (10 s) and the node monitor
 * period, and runs of one profile spread over ~4 s (19.3-23.6 s after the last heartbeat), so a
 * change under max(10%, 2 s) is not one a team would act on; eviction adds the toleration
 * (30 s in tuned, 300 s upstream); client errors at 20 req/s spread ~10% between runs.
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'unreachable.time_to_not_ready',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 2 },
      why: 'how soon the cluster notices the lost node (node-monitor-grace-period)',
    },
    {
      metric: 'unreachable.time_to_first_eviction',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 5 },
      why: "how soon the lost node's pods are evicted (taint + unreachable toleration); censored at the fault window's end when nothing was evicted",
    },
    {
      metric: 'client.errors{window=fault}',
      direction: 'lower',
      margin: { relative: 0.2, absolute: 10 },
      why: 'failed requests users saw while the node was gone',
    },
  ],
  censored: [
    'unreachable.time_to_taint',
    'unreachable.time_to_endpoints_drop',
    'unreachable.time_to_not_ready',
    'unreachable.time_to_first_eviction',
    'unreachable.time_to_last_eviction',
    'unreachable.time_to_replacements_ready',
  ].map((metric) => ({ metric, windowMetric: 'unreachable.fault_seconds' })),
};
