// Open-model load on the Kubernetes API: one arrival-rate scenario per verb, so a slow
// apiserver cannot slow the arrivals down (no coordinated omission). Inputs only via __ENV.
import { check, fail, sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options, Scenario } from 'k6/options';

type Verb = 'get' | 'list' | 'create' | 'update' | 'delete';
const verbs: Verb[] = ['get', 'list', 'create', 'update', 'delete'];

const api = __ENV.API_URL ?? fail('API_URL is required');
const token = __ENV.TOKEN ?? fail('TOKEN is required');
const namespace = __ENV.NAMESPACE ?? 'tuneproof-load';
const rate = Number(__ENV.RATE ?? '10');
const durationSeconds = Number(__ENV.DURATION_SECONDS ?? '30');
const rampSeconds = Number(__ENV.RAMP_SECONDS ?? '0');
const objects = Number(__ENV.OBJECTS ?? '100');
const objectBytes = Number(__ENV.OBJECT_BYTES ?? '1024');
const timeout = `${__ENV.TIMEOUT_SECONDS ?? '10'}s`;
const mix = JSON.parse(__ENV.MIX ?? '{"get":1}') as Partial<Record<Verb, number>>;
const maxVUs = Number(__ENV.MAX_VUS ?? '200');

const base = `${api}/api/v1/namespaces/${namespace}/configmaps`;
const headers = {
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
  Accept: 'application/json',
};
const payload = 'x'.repeat(objectBytes);
/** Objects the delete scenario removes, made in setup(): enough for its whole run. */
const deletePool = Math.ceil((mix.delete ?? 0) * rate * (durationSeconds + rampSeconds) * 1.2) + 10;

function arrivals(verb: Verb): Scenario | undefined {
  const perMinute = Math.round((mix[verb] ?? 0) * rate * 60);
  if (perMinute <= 0) return undefined;
  const common = {
    exec: verb,
    timeUnit: '1m',
    preAllocatedVUs: Math.min(maxVUs, Math.max(2, Math.ceil(perMinute / 60))),
    maxVUs,
    tags: { verb: verb.toUpperCase() },
    gracefulStop: '5s',
  };
  if (rampSeconds > 0) {
    return {
      ...common,
      executor: 'ramping-arrival-rate',
      startRate: 0,
      stages: [
        { target: perMinute, duration: `${rampSeconds}s` },
        { target: perMinute, duration: `${durationSeconds}s` },
      ],
    };
  }
  return {
    ...common,
    executor: 'constant-arrival-rate',
    rate: perMinute,
    duration: `${durationSeconds}s`,
  };
}

const scenarios: Record<string, Scenario> = {};
for (const verb of verbs) {
  const s = arrivals(verb);
  if (s) scenarios[verb] = s;
}

export const options: Options = {
  scenarios,
  // the cluster is a throw-away one on 127.0.0.1 whose CA k6 cannot be given
  insecureSkipTLSVerify: true,
  discardResponseBodies: true,
  setupTimeout: '300s',
  summaryTrendStats: ['min', 'med', 'p(90)', 'p(99)', 'max'],
  thresholds: {
    // SIG Scalability SLO: single-object mutating and read calls p99 <= 1 s, LIST p99 <= 30 s
    'http_req_duration{verb:GET}': ['p(99)<1000'],
    'http_req_duration{verb:CREATE}': ['p(99)<1000'],
    'http_req_duration{verb:UPDATE}': ['p(99)<1000'],
    'http_req_duration{verb:DELETE}': ['p(99)<1000'],
    'http_req_duration{verb:LIST}': ['p(99)<30000'],
  },
};

const params = (verb: string) => ({
  headers,
  timeout,
  tags: { verb },
  responseType: 'none' as const,
});

const configMap = (name: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { 'dev.tuneproof.load': 'true' } },
    data: { payload },
  });

/** A setup answer worth retrying: the server shed or failed it, or it never came. */
const retriable = (status: number) => status === 0 || status === 429 || status >= 500;

/** Seconds the server asked the client to wait (Retry-After), bounded; 1 s when it did not say. */
const backoff = (r: { headers: Record<string, string> }) =>
  Math.min(5, Math.max(0.2, Number(r.headers['Retry-After'] ?? '1') || 1));

export function setup(): void {
  // Setup talks to the same apiserver the profile may have starved on purpose (a tiny inflight
  // limit sheds requests with 429 even before the load starts), so it retries what the server
  // shed instead of failing the run or starting with a short delete pool.
  // readiness: the token works and the API answers before any load starts
  let ready = http.get(`${base}?limit=1`, { headers, timeout: '10s', tags: { verb: 'SETUP' } });
  for (let attempt = 1; retriable(ready.status) && attempt < 10; attempt++) {
    sleep(backoff(ready));
    ready = http.get(`${base}?limit=1`, { headers, timeout: '10s', tags: { verb: 'SETUP' } });
  }
  if (ready.status !== 200) fail(`API not ready for the load identity: HTTP ${ready.status}`);
  let pending = Array.from({ length: deletePool }, (_, j) => `del-${j}`);
  for (let round = 0; pending.length > 0 && round < 10; round++) {
    const failed: string[] = [];
    let wait = 0;
    for (let i = 0; i < pending.length; i += 20) {
      const names = pending.slice(i, i + 20);
      const answers = http.batch(
        names.map((name) => ({
          method: 'POST',
          url: base,
          body: configMap(name),
          params: { headers, tags: { verb: 'SETUP' } },
        })),
      );
      answers.forEach((r, j) => {
        // 409: an earlier attempt did create it
        if (retriable(r.status)) {
          failed.push(names[j] as string);
          wait = Math.max(wait, backoff(r));
        } else if (r.status !== 201 && r.status !== 409)
          fail(`creating the delete pool: HTTP ${r.status}`);
      });
    }
    pending = failed;
    if (wait > 0) sleep(wait);
  }
  if (pending.length > 0)
    fail(`creating the delete pool: ${pending.length} objects still refused after 10 rounds`);
}

const pick = () => `obj-${Math.floor(Math.random() * objects)}`;

export function get(): void {
  const r = http.get(`${base}/${pick()}`, params('GET'));
  check(r, { 'GET 200': (x) => x.status === 200 });
}

export function list(): void {
  const r = http.get(`${base}?limit=500&labelSelector=dev.tuneproof.pool%3Dtrue`, params('LIST'));
  check(r, { 'LIST 200': (x) => x.status === 200 });
}

export function create(): void {
  const r = http.post(
    base,
    configMap(`c-${exec.scenario.iterationInTest}-${exec.vu.idInTest}`),
    params('CREATE'),
  );
  check(r, { 'CREATE 201': (x) => x.status === 201 });
}

export function update(): void {
  const name = pick();
  const body = JSON.stringify({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { 'dev.tuneproof.pool': 'true' } },
    data: { payload, at: String(Date.now()) },
  });
  const r = http.put(`${base}/${name}`, body, params('UPDATE'));
  check(r, { 'UPDATE 200': (x) => x.status === 200 });
}

export function del(): void {
  const r = http.del(`${base}/del-${exec.scenario.iterationInTest}`, null, params('DELETE'));
  check(r, { 'DELETE 200': (x) => x.status === 200 });
}
export { del as delete };

export function handleSummary(data: object): Record<string, string> {
  return { [__ENV.SUMMARY_PATH ?? 'k6-summary.json']: JSON.stringify(data, null, 2) };
}
