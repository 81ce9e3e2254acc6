import type { ScenarioVerdicts } from '../../harness/scenario/scenario-verdicts.ts';

/**
 * What answers "does the API server keep its latency under load?": the SLO percentiles of the
 * commonest read and the list, and the share of failed requests. Margins are wide (25%, at least
 * 25 ms) because p99 of a 30 s smoke load rests on a few hundred requests per verb and spread
 * 102-2853 ms between runs on a busy 2-core machine; 1 point of error ratio.
 */
export const verdicts: ScenarioVerdicts = {
  primaries: [
    {
      metric: 'api.latency.p99{verb=GET}',
      direction: 'lower',
      margin: { relative: 0.25, absolute: 25 },
      why: 'single-object read latency (SLO p99 <= 1 s)',
    },
    {
      metric: 'api.latency.p99{verb=LIST}',
      direction: 'lower',
      margin: { relative: 0.25, absolute: 25 },
      why: 'list latency (SLO p99 <= 30 s)',
    },
    {
      metric: 'api.error_ratio',
      direction: 'lower',
      margin: { absolute: 0.01 },
      why: 'share of requests answered 429/5xx/timeout',
    },
  ],
};
