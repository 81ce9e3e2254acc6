import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

/**
 * SIGINT/SIGTERM end any phase, including one stuck waiting on Docker: a Docker socket that
 * accepts connections and never answers holds `cluster list` until the signal arrives.
 */
const root = join(import.meta.dirname, '../../..');

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} ends a command stuck on an unanswering Docker socket (exit ${code})`, async (t) => {
    const sock = join(mkdtempSync(join(tmpdir(), 'tp-sig-')), 'docker.sock');
    const held: Socket[] = [];
    let connected!: () => void;
    const connection = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const server = createServer((s) => {
      held.push(s); // never answered
      connected();
    });
    server.listen(sock);
    await once(server, 'listening');
    const child = spawn(
      join(root, 'node_modules/.bin/node'),
      [join(root, 'harness/cli/main.ts'), 'cluster', 'list'],
      {
        env: {
          ...process.env,
          DOCKER_HOST: `unix://${sock}`,
          TESTCONTAINERS_RYUK_DISABLED: 'true',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    // wait until it is blocked on the socket (startup takes seconds on a loaded machine)
    await Promise.race([connection, new Promise((r) => setTimeout(r, 60_000).unref())]);
    t.true(held.length > 0, 'the CLI reached the Docker socket');
    const sentAt = Date.now();
    child.kill(signal);
    const [exitCode] = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running 30 s after ${signal}`));
        }, 30_000).unref(),
      ),
    ]);
    for (const s of held) s.destroy();
    server.close();
    t.is(exitCode, code, stderr);
    t.true(Date.now() - sentAt < 30_000);
    t.regex(stderr, new RegExp(`${signal} received`));
    t.notRegex(stderr, /\n\s+at /);
  });
}
