import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "how fast does the control plane turn N new pods into running ones?": the time
 * the ReplicaSet controller takes to create them (its client's QPS), the scheduler's binding
 * span, and the pod startup p99 users wait on. Margins: 10% of the baseline, at least 1 s for the
 * spans (server timestamps have whole seconds) and 1 s for the percentile (same resolution).
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'churn.create.seconds',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 1 },
      why: 'first to last pod created by the ReplicaSet controller (controller-manager QPS)',
    },
    {
      metric: 'churn.schedule.seconds',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 1 },
      why: 'first to last pod bound by the scheduler (scheduler QPS)',
    },
    {
      metric: 'pod.startup_latency.p99',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 1000 },
      why: 'pod startup SLO (p99 <= 5 s, no image pulls)',
    },
  ],
};
