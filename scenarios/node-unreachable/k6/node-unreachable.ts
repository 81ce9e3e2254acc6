// A constant-rate client of the canary through the in-cluster L7 proxy, as users behind an
// ingress would be: an open model (constant-arrival-rate), so requests keep arriving on time
// while some hang on a dead upstream, and every status and error is recorded per request.
// Inputs only via __ENV. No thresholds: errors during the fault are what is measured.
import { fail, sleep } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

const target = __ENV.TARGET_URL ?? fail('TARGET_URL is required');
const rate = Number(__ENV.RATE ?? '20');
const durationSeconds = Number(__ENV.DURATION_SECONDS ?? '60');
const timeout = `${__ENV.TIMEOUT_SECONDS ?? '15'}s`;
const maxVUs = Number(__ENV.MAX_VUS ?? '200');
const readySeconds = Number(__ENV.READY_SECONDS ?? '60');
const keepAlive = (__ENV.KEEP_ALIVE ?? 'true') === 'true';

// tuneproof's network rule: load goes only to ports published on the loopback address
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(target))
  fail(`TARGET_URL must be http://127.0.0.1:<port>/...`);

export const options: Options = {
  scenarios: {
    canary: {
      executor: 'constant-arrival-rate',
      rate,
      timeUnit: '1s',
      duration: `${durationSeconds}s`,
      preAllocatedVUs: Math.min(maxVUs, Math.max(5, rate * 2)),
      maxVUs,
      gracefulStop: timeout,
      tags: { phase: 'load' },
    },
  },
  discardResponseBodies: true,
  noConnectionReuse: !keepAlive,
  setupTimeout: `${readySeconds + 10}s`,
  summaryTrendStats: ['min', 'med', 'p(90)', 'p(99)', 'max'],
};

export function setup(): void {
  // readiness: the proxy answers 200 through the published port before the load starts
  for (let i = 0; i < readySeconds; i++) {
    const r = http.get(target, {
      timeout: '5s',
      tags: { phase: 'setup' },
      headers: { 'X-Tuneproof-Phase': 'setup' },
    });
    if (r.status === 200) return;
    sleep(1);
  }
  fail(`the canary did not answer 200 through ${target} within ${readySeconds}s`);
}

export default function (): void {
  // the header lets the proxy's log tell the load's requests from set-up probes
  http.get(target, {
    timeout,
    tags: { phase: 'load' },
    responseType: 'none',
    headers: { 'X-Tuneproof-Phase': 'load' },
  });
}

export function handleSummary(data: object): Record<string, string> {
  return { [__ENV.SUMMARY_PATH ?? 'k6-summary.json']: JSON.stringify(data, null, 2) };
}
