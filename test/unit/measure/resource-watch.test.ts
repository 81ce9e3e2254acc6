/**
 * ResourceWatch against a scripted HTTPS server that speaks the list and watch protocol of the
 * API server. The real-cluster tests (node-unreachable) exercise the happy path; the recoveries
 * tested here (a watch the server closes, a 410 Gone for an expired resourceVersion) are rare on
 * a short real run, and a scripted server is the only way to make them happen on cue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import test from 'ava';
import { ResourceWatch, type WatchedChange } from '../../../harness/measure/resource-watch.ts';

/** A throw-away self-signed certificate (the client skips verification, as for kind clusters). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tp-watch-'));
  execFileSync(
    'openssl',
    [
      'req',
      ...['-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
}

const node = (name: string, rv: string) => ({
  kind: 'Node',
  apiVersion: 'v1',
  metadata: { name, resourceVersion: rv },
});

/** What the server does with the n-th watch request: events to send, then whether to close or hold it open. */
type WatchScript = { events: { type: string; object: unknown }[]; end: 'close' | 'hold' };

interface FakeApi {
  server: Server;
  kc: KubeConfig;
  /** Query strings of every request, in order (`list` or `watch` plus the parameters). */
  requests: { kind: 'list' | 'watch'; query: URLSearchParams }[];
  close(): Promise<void>;
}

async function fakeApi(lists: unknown[][], listRvs: string[], watches: WatchScript[]) {
  const requests: FakeApi['requests'] = [];
  const held: ServerResponse[] = [];
  let listed = 0;
  let watched = 0;
  const server = createServer(selfSigned(), (req, res) => {
    const url = new URL(req.url ?? '/', 'https://x');
    const watch = url.searchParams.get('watch') === 'true';
    requests.push({ kind: watch ? 'watch' : 'list', query: url.searchParams });
    if (!watch) {
      const i = Math.min(listed++, lists.length - 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'NodeList',
          metadata: { resourceVersion: listRvs[i] },
          items: lists[i],
        }),
      );
      return;
    }
    const script = watches[Math.min(watched++, watches.length - 1)] as WatchScript;
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    for (const e of script.events) res.write(`${JSON.stringify(e)}\n`);
    if (script.end === 'close') res.end();
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `https://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'not-a-real-token' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'u' }],
    currentContext: 'fake',
  });
  return {
    server,
    kc,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of held) r.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } satisfies FakeApi;
}

/** Resolves once `changes` holds n entries (polling: the watch delivers on its own schedule). */
async function until(changes: WatchedChange[], n: number, timeoutMs = 10_000): Promise<void> {
  const t0 = Date.now();
  while (changes.length < n) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`only ${changes.length} of ${n} changes after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const names = (changes: WatchedChange[]) =>
  changes.map((c) => `${c.type} ${(c.object.metadata as { name: string }).name}`);

test('the list arrives as ADDED, then the watch from its resourceVersion; a closed watch resumes from the last one seen', async (t) => {
  const api = await fakeApi(
    [[node('a', '5'), node('b', '6')]],
    ['10'],
    [
      { events: [{ type: 'MODIFIED', object: node('a', '11') }], end: 'close' },
      {
        events: [
          { type: 'BOOKMARK', object: { kind: 'Node', metadata: { resourceVersion: '15' } } },
          { type: 'DELETED', object: node('b', '16') },
        ],
        end: 'hold',
      },
    ],
  );
  const changes: WatchedChange[] = [];
  const w = new ResourceWatch(api.kc, {
    path: '/api/v1/nodes',
    labelSelector: 'x=y',
    onChange: (c) => changes.push(c),
  });
  try {
    await w.start();
    await until(changes, 4);
    t.deepEqual(names(changes), ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
    t.true(changes.every((c) => Number.isFinite(c.observedMs)));
    const watches = api.requests.filter((r) => r.kind === 'watch');
    t.is(watches[0]?.query.get('resourceVersion'), '10', 'the first watch starts at the list');
    t.is(watches[1]?.query.get('resourceVersion'), '11', 'the second at the last event seen');
    t.is(watches[0]?.query.get('labelSelector'), 'x=y');
    t.is(watches[0]?.query.get('allowWatchBookmarks'), 'true');
    t.is(api.requests.filter((r) => r.kind === 'list').length, 1, 'no relist after a close');
  } finally {
    w.stop();
    await api.close();
  }
});

test('410 Gone: the collection is listed again and watched from the new list', async (t) => {
  const api = await fakeApi(
    [[node('a', '5')], [node('a', '40'), node('c', '41')]],
    ['10', '42'],
    [
      {
        events: [{ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } }],
        end: 'close',
      },
      { events: [{ type: 'ADDED', object: node('d', '43') }], end: 'hold' },
    ],
  );
  const changes: WatchedChange[] = [];
  const w = new ResourceWatch(api.kc, { path: '/api/v1/nodes', onChange: (c) => changes.push(c) });
  try {
    await w.start();
    await until(changes, 4);
    // the relist re-delivers what is there as ADDED: consumers tolerate repeats
    t.deepEqual(names(changes), ['ADDED a', 'ADDED a', 'ADDED c', 'ADDED d']);
    t.deepEqual(
      api.requests.map((r) => `${r.kind}@${r.query.get('resourceVersion') ?? '-'}`),
      ['list@-', 'watch@10', 'list@-', 'watch@42'],
    );
  } finally {
    w.stop();
    await api.close();
  }
});

test('stop() ends the watch: nothing is delivered or requested after it', async (t) => {
  const api = await fakeApi([[node('a', '5')]], ['10'], [{ events: [], end: 'close' }]);
  const changes: WatchedChange[] = [];
  const w = new ResourceWatch(api.kc, { path: '/api/v1/nodes', onChange: (c) => changes.push(c) });
  try {
    await w.start();
    w.stop();
    const before = api.requests.length;
    await new Promise((r) => setTimeout(r, 700));
    t.is(api.requests.length, before);
    t.deepEqual(names(changes), ['ADDED a']);
  } finally {
    await api.close();
  }
});
