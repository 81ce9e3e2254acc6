import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "how does the API ride out a stalled etcd disk, and how fast does it recover?".
 * Margins: recovery is timed in whole seconds (at least 2 s), errors and latency during the
 * stall at 20% (the stall itself is fixed by the fault's IOPS cap).
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'api.recovery_seconds',
      direction: 'lower',
      margin: { relative: 0.1, absolute: 2 },
      why: 'release of the disk -> 5 clean seconds of API traffic',
    },
    {
      metric: 'api.errors{phase=during}',
      direction: 'lower',
      margin: { relative: 0.2, absolute: 10 },
      why: 'failed API requests while etcd could not write',
    },
    {
      metric: 'api.latency.p99{phase=during}',
      direction: 'lower',
      margin: { relative: 0.2, absolute: 100 },
      why: 'API latency while etcd could not write',
    },
  ],
};
