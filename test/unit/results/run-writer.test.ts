import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import {
  findRunDirs,
  HistogramRecorder,
  RunWriter,
  readRun,
  readSamples,
} from '../../../harness/results/index.ts';

const init = {
  runId: 'r1',
  toolVersion: '0.0.0-test',
  profile: { name: 'tuned', digest: 'abc', values: { 'apiServer.max-requests-inflight': 1500 } },
  scenario: { name: 'apiserver-load', preset: 'smoke' },
};

test('a finished run reads back complete', (t) => {
  const root = mkdtempSync(join(tmpdir(), 'tp-run-'));
  const dir = join(root, 'runs', 'r1');
  const w = new RunWriter(dir, init);
  w.event({ kind: 'fault', name: 'disconnect worker', edge: 'start' });
  w.metric({
    name: 'api.latency.p99',
    labels: { verb: 'GET' },
    unit: 'ms',
    direction: 'lower',
    value: 12.5,
  });
  w.sample('http.status', 3, { code: '502' });
  w.finish('complete');
  const run = readRun(dir);
  t.is(run.status, 'complete');
  t.false(run.partial);
  t.is(run.metrics[0]?.value, 12.5);
  t.is(run.timeline[0]?.edge, 'start');
  t.is(readSamples(dir)[0]?.labels.code, '502');
  t.deepEqual(findRunDirs(root), [dir]);
});

test('a run killed with SIGKILL keeps what it measured and reads back as partial', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-killed-'));
  const writer = new URL('../../../harness/results/run-writer.ts', import.meta.url).pathname;
  // a child process writes two metrics, then kills itself before finishing
  const script = `
    import { RunWriter } from ${JSON.stringify(writer)};
    const w = new RunWriter(${JSON.stringify(dir)}, ${JSON.stringify(init)});
    w.metric({ name: 'a', unit: 'ms', direction: 'lower', value: 1 });
    w.event({ kind: 'phase', name: 'load', edge: 'start' });
    w.metric({ name: 'b', unit: 'count', direction: 'lower', value: 2 });
    process.kill(process.pid, 'SIGKILL');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script]);
  t.is(r.signal, 'SIGKILL');
  const run = readRun(dir);
  t.is(run.status, 'running');
  t.true(run.partial);
  t.deepEqual(
    run.metrics.map((m) => m.name),
    ['a', 'b'],
  );
  t.is(run.timeline.length, 1);
});

test('credentials never reach results', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-redact-'));
  const w = new RunWriter(dir, init);
  const token =
    'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
  w.event({ kind: 'note', name: `Authorization: Bearer ${token}` });
  w.artifact(
    'logs/kubeconfig.txt',
    'users:\n- name: admin\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0E=\n',
  );
  w.finish('failed', new Error(`join failed: kubeadm join --token abcdef.0123456789abcdef`));
  const all = ['run.json', 'timeline.ndjson', 'logs/kubeconfig.txt']
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
  t.false(all.includes(token));
  t.false(all.includes('LS0tLS1CRUdJTiBSU0E='));
  t.false(all.includes('0123456789abcdef'));
  t.regex(all, /<redacted/);
});

test('HDR histograms keep sub-millisecond precision and round-trip', (t) => {
  const h = new HistogramRecorder();
  for (let i = 1; i <= 1000; i++) h.record(i / 10); // 0.1 .. 100 ms
  const d = h.toDistribution('api.latency', 'ms', { verb: 'GET' });
  t.is(d.count, 1000);
  t.true(Math.abs((d.percentiles.p50 ?? 0) - 50) < 0.1);
  t.true(Math.abs((d.percentiles.p99 ?? 0) - 99) < 0.1);
  t.true(Math.abs(d.min - 0.1) < 0.001);
  const back = HistogramRecorder.decode(d.hdr!);
  t.is(back.count, 1000);
  t.is(back.percentile(99), h.percentile(99));
});
