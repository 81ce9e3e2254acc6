import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * Root of tuneproof's on-disk cache: `$TUNEPROOF_CACHE`, else `$XDG_CACHE_HOME/tuneproof`, else
 * `~/.cache/tuneproof`. It lives outside the repository on purpose: the built artifacts are
 * large (hundreds of MB of binaries, node images), outlive checkouts, and are shared by every
 * worktree on the machine.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TUNEPROOF_CACHE) return resolve(env.TUNEPROOF_CACHE);
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  const xdg = env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'tuneproof');
}
