import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './cache-dir.ts';

/**
 * The go command the builds use: `$TUNEPROOF_GO`, else the toolchain scripts/setup-host-tools.sh
 * put in tuneproof's cache (when the machine's Go is missing or older than the builds need),
 * else `go` from PATH.
 */
export function goCommand(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUNEPROOF_GO) return env.TUNEPROOF_GO;
  const cached = join(cacheDir(env), 'go', 'bin', 'go');
  return existsSync(cached) ? cached : 'go';
}
