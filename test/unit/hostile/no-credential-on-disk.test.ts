import { generateKeyPairSync } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import test from 'ava';
import { runK6 } from '../../../harness/load/k6.ts';
import { writeReport } from '../../../harness/report/write-report.ts';
import { RunWriter } from '../../../harness/results/run-writer.ts';
import { writeFixtureRuns } from '../report/fixture-runs.ts';

/**
 * Every credential shape a kubeconfig, a ServiceAccount, a bootstrap token and k6 can produce,
 * pushed through the real writers (run writer, k6 output handling, report writer) into one
 * results directory; then no file under it may hold any of the secret values, in any encoding.
 */
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'sec1', format: 'pem' })
  .toString();
const pemBody = privateKeyPem.split('\n')[1]!; // a line of the key itself
const jwt = `${b64url('{"alg":"RS256","kid":"k1"}')}.${b64url('{"iss":"kubernetes/serviceaccount","sub":"system:serviceaccount:default:tp"}')}.${b64url('signature-bytes-canary-0123456789')}`;
const secrets = {
  pemBody,
  pemBase64: b64(privateKeyPem),
  jwt,
  jwtBase64: b64(jwt),
  staticToken: 'statictokencanary7f3a9c',
  password: 'Tr0ub4dor-canary-9d2e',
  bootstrapToken: 'x7k2pq.9f8e7d6c5b4a3921',
  bootstrapSecretHalf: '9f8e7d6c5b4a3921',
  bootstrapSecretBase64: b64('9f8e7d6c5b4a3921'),
  k6Token: 'k6cloudtokencanary55aa',
  basicAuth: b64('admin:Tr0ub4dor-canary-9d2e'),
};

// A real kubeconfig as @kubernetes/client-node writes it (JSON, kebab-case *-data fields) and as
// its objects serialise (camelCase keyData/certData)
const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [
    { name: 'tp', server: 'https://127.0.0.1:6443', caData: b64('ca-cert'), skipTLSVerify: false },
  ],
  users: [
    { name: 'admin', keyData: secrets.pemBase64, certData: b64('cert'), token: secrets.jwt },
    { name: 'basic', username: 'admin', password: secrets.password },
  ],
  contexts: [{ name: 'tp', cluster: 'tp', user: 'admin' }],
  currentContext: 'tp',
});
const kubeconfigJson = kc.exportConfig();
const kubeconfigYaml = `users:\n- name: admin\n  user:\n    client-key-data: ${secrets.pemBase64}\n    token: ${secrets.staticToken}\n    password: "${secrets.password}"\n`;
const saSecret = JSON.stringify({
  kind: 'Secret',
  type: 'kubernetes.io/service-account-token',
  data: { token: secrets.jwtBase64, 'ca.crt': b64('ca') },
});
const bootstrapSecret = `apiVersion: v1\nkind: Secret\nmetadata: {name: bootstrap-token-x7k2pq}\ndata:\n  token-id: ${b64('x7k2pq')}\n  token-secret: ${secrets.bootstrapSecretBase64}\nstringData:\n  token-secret: ${secrets.bootstrapSecretHalf}\n`;

/** Texts in which a credential reaches tuneproof: error messages, logs, k6 output. */
const shapes = [
  kubeconfigJson,
  JSON.stringify(kc.users),
  kubeconfigYaml,
  `clientKeyData: ${secrets.pemBase64}`,
  privateKeyPem,
  JSON.stringify({ key: privateKeyPem }),
  saSecret,
  `Authorization: Bearer ${secrets.jwt}`,
  `authorization: bearer ${secrets.staticToken}`,
  `Authorization: Basic ${secrets.basicAuth}`,
  bootstrapSecret,
  `kubeadm join 172.30.0.10:6443 --token ${secrets.bootstrapToken} --discovery-token-ca-cert-hash sha256:abc`,
  `K6_TOKEN=${secrets.k6Token} k6 run`,
  `{"token": "${secrets.staticToken}"}`,
  `{'password': '${secrets.password}'}`,
  JSON.stringify(JSON.stringify({ token: secrets.staticToken })), // JSON inside JSON
  `&quot;token&quot;: &quot;${secrets.staticToken}&quot;`,
  `&#34;password&#34;:&#34;${secrets.password}&#34;`,
];

function allFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? allFiles(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const encodings = (s: string) => [s, JSON.stringify(s).slice(1, -1), s.replaceAll('/', '\\/')];

test('no credential shape reaches any file under a results directory', async (t) => {
  const results = mkdtempSync(join(tmpdir(), 'tp-secrets-'));
  // 1. the run writer, as scenarios use it
  writeFixtureRuns(results, { repeat: 2, samples: false });
  const dir = join(results, 'runs', 'secret-run');
  const w = new RunWriter(dir, {
    runId: 'secret-run',
    toolVersion: '0.1.0-test',
    profile: { name: 'tuned', digest: 'sha256:abc', values: { 'kubelet.maxPods': 110 } },
    scenario: { name: 'apiserver-load', preset: 'smoke' },
  });
  for (const [i, text] of shapes.entries()) {
    w.event({
      kind: 'note',
      name: text,
      detail: { shape: i, text, nested: { token: secrets.staticToken } },
    });
    w.sample('client.status', i, { code: '500', error: text });
    w.artifact(`logs/shape-${i}.txt`, text);
  }
  w.metric({
    name: 'k6.errors',
    labels: { detail: shapes[9]! },
    unit: 'count',
    direction: 'lower',
    value: 1,
  });
  w.markInvalid(shapes[13]!);
  w.finish('failed', new Error(`cluster bring-up failed: ${shapes.join('\n')}`));

  // 2. k6's own files: a stand-in k6 binary writes what the real one writes (points with URL
  // tags and headers, a summary from handleSummary) through runK6's own handling
  const fakeK6 = join(results, 'k6');
  const point = (tags: object) =>
    JSON.stringify({
      type: 'Point',
      metric: 'http_req_duration',
      data: { time: new Date().toISOString(), value: 12, tags },
    });
  writeFileSync(
    join(results, 'points.in'),
    [
      point({ url: `https://127.0.0.1:6443/api?token=${secrets.staticToken}`, name: 'GET' }),
      point({ error: `Authorization: Bearer ${secrets.jwt}`, status: '401' }),
      point({ header: `K6_TOKEN=${secrets.k6Token}` }),
      '{"type":"Point","metric":"cut short","data":{"tags":{"password":"' + secrets.password,
    ].join('\n'),
  );
  writeFileSync(
    join(results, 'summary.in'),
    JSON.stringify({
      metrics: { http_reqs: { count: 3 } },
      setup_data: { token: secrets.jwt, kubeconfig: kubeconfigJson, k6Token: secrets.k6Token },
      root_group: { checks: [{ name: `auth with bearer ${secrets.staticToken}` }] },
    }),
  );
  writeFileSync(
    fakeK6,
    `#!/bin/sh\nfor a in "$@"; do case "$a" in json=*) out="\${a#json=}";; esac; done\ncp "${join(results, 'points.in')}" "$out"\ncp "${join(results, 'summary.in')}" "$SUMMARY_PATH"\necho "level=info msg=\\"K6_TOKEN=$K6_TOKEN\\"" >&2\n`,
  );
  chmodSync(fakeK6, 0o755);
  const k6 = await runK6({
    k6: fakeK6,
    script: 'load.ts',
    outDir: join(dir, 'k6'),
    env: {},
    secretEnv: { K6_TOKEN: secrets.k6Token },
  });
  t.is(k6.exitStatus, 0);
  t.is((k6.summary as { metrics: { http_reqs: { count: number } } }).metrics.http_reqs.count, 3);

  // 3. a run.json from elsewhere (an older tuneproof, a hand edit) that still holds secrets: the
  // report writer must not copy them into report.html, summary.md or junit.xml
  const runText = readFileSync(join(dir, 'run.json'), 'utf8');
  const raw = JSON.parse(runText);
  raw.error = shapes.join('\n');
  raw.invalid = [shapes[13]];
  writeFileSync(join(dir, 'run.json'), JSON.stringify(raw));
  await writeReport(results);

  // the planted inputs (the hand-edited run.json, the stand-in k6 and what it copies) are not
  // tuneproof's output; every other file is
  const planted = [fakeK6, join(dir, 'run.json')];
  const files = allFiles(results).filter((f) => !f.endsWith('.in') && !planted.includes(f));
  t.true(files.some((f) => f.endsWith('run.json'))); // the fixture runs' own
  t.true(files.some((f) => f.endsWith('report.html')));
  t.true(files.some((f) => f.endsWith('k6-points.ndjson')));
  t.true(files.some((f) => f.endsWith('k6-summary.json')));
  t.true(statSync(join(results, 'report.html')).size > 1000);
  const leaks: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [name, value] of Object.entries(secrets))
      for (const form of encodings(value))
        if (text.includes(form)) leaks.push(`${name} in ${file.slice(results.length)}`);
  }
  t.deepEqual(leaks, []);
  // the files stay what they were: k6's summary is still JSON, the points still NDJSON
  JSON.parse(readFileSync(join(dir, 'k6', 'k6-summary.json'), 'utf8'));
  const pointLines = readFileSync(join(dir, 'k6', 'k6-points.ndjson'), 'utf8')
    .trim()
    .split('\n');
  t.is(pointLines.length, 4);
  t.regex(pointLines[0]!, /token=<redacted>/);
});
