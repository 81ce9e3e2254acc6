import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';

const detach = new URL('../../../scripts/detach.sh', import.meta.url).pathname;

test('a daemon setup starts keeps none of the caller’s files: a lock the caller held is free once it ends', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detach-'));
  const lock = join(dir, 'lock');
  const log = join(dir, 'daemon.log');
  // the caller holds the lock (fd inherited by everything it starts) while it detaches a
  // long-lived "daemon", then ends
  const pid = execFileSync('flock', [
    lock,
    'bash',
    '-c',
    `. '${detach}'; detach '${log}' bash -c 'echo started; exec sleep 30'; echo $!`,
  ])
    .toString()
    .trim();
  t.teardown(() => {
    try {
      process.kill(-Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[5]));
    } catch {}
  });
  // the daemon still runs, and the lock is free
  const free = execFileSync('flock', ['-n', lock, 'echo', 'free']).toString().trim();
  t.is(free, 'free');
  execFileSync('sleep', ['0.3']);
  t.is(readFileSync(log, 'utf8').trim(), 'started');
});
