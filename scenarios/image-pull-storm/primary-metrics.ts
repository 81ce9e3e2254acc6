import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "how long until a burst of pods with uncached images runs?". Margins: 10% of the
 * baseline (storm completion spread ~3 s at 28 s between runs of one profile), at least 1 s for
 * the storm and 0.5 s for the per-pod percentiles (the watch's timing resolution).
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'storm.completion_seconds',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 1 },
      why: 'first pod created -> last pod Running',
    },
    {
      metric: 'pod.time_to_running.p50',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 500 },
      why: 'the typical pod: created -> Running, pulls included',
    },
    {
      metric: 'pod.time_to_running.p90',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 500 },
      why: 'the slow pods of the storm',
    },
  ],
};
