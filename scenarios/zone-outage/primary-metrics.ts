import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "how fast are a failed zone's nodes tainted and their pods evicted?": the time
 * from the fault to the last eviction of a pod on a failed node. It adds up the grace period
 * (NotReady), the zone's eviction rate ((M - 1) / rate from first to last taint: 90 s at 0.1/s
 * for the smoke's M = 10, 9 s at 1/s) and the pods' toleration. Margin: NotReady alone spreads
 * over ~12 s between runs of one profile (the last lease renewal is 0-10 s before the stop, plus
 * the monitor period), so a change under max(10%, 10 s) is not one a team would act on. A run
 * whose outage window ended before every pod was evicted is censored at the window's end.
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'zone_outage.last_eviction_seconds',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 10 },
      why: "how soon every pod of the failed part of the zone is evicted (grace period + the zone's eviction rate + toleration); censored at the outage window's end",
    },
  ],
  censored: ['zone_outage.last_eviction_seconds', 'zone_outage.last_taint_seconds'].map(
    (metric) => ({ metric, windowMetric: 'zone_outage.outage_seconds' }),
  ),
};
