import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.ts';

const lockFile = '.compare.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One `tuneproof compare` per results directory: two writing the same runs (a resume started
 * while the first is still going) would each tear down what the other measures. A lock left by a
 * process that no longer exists (kill -9) is taken over. Returns the release function.
 */
export function lockResultsDir(resultsDir: string): () => void {
  const path = join(resultsDir, lockFile);
  if (existsSync(path)) {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new ConfigError('tuneproof compare', [
        {
          path: '--resume',
          message: `another tuneproof compare (pid ${pid}) is writing to ${resultsDir}; wait for it or stop it first`,
          severity: 'error',
        },
      ]);
    }
  }
  writeFileSync(path, `${process.pid}\n`);
  return () => rmSync(path, { force: true });
}
