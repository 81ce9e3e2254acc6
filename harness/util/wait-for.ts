import { setTimeout as delay } from 'node:timers/promises';
import { TuneproofError } from '../errors.ts';
import { formatSeconds } from './log.ts';

/**
 * Waits `ms`. With a signal (the run's: aborted on SIGINT/SIGTERM), stops as soon as it aborts
 * by throwing its AbortError, so no wait outlives an interrupted run.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
}

/** `waitFor` gave up: the deadline passed with the condition still pending. */
export class WaitTimeout extends TuneproofError {
  override name = 'WaitTimeout';
}

export interface WaitOptions {
  timeoutMs: number;
  /** Between checks (default 1 s). */
  intervalMs?: number;
  /** The run's signal: aborting it ends the wait with an AbortError. */
  signal?: AbortSignal;
  /** Told what is still awaited, at most every 10 s. */
  progress?: (status: string) => void;
}

/**
 * The one polling wait: calls `check` until it returns a value (neither undefined nor
 * `{ pending }`), at most `timeoutMs`, then throws WaitTimeout naming what was awaited and the
 * last thing still pending. Errors thrown by `check` count as "not yet" (an API still starting).
 */
export async function waitFor<T>(
  what: string,
  opts: WaitOptions,
  check: () => Promise<T | undefined | { pending: string }> | T | undefined,
): Promise<T> {
  const t0 = performance.now();
  let last = 'not checked yet';
  let lastReport = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    try {
      const r = await check();
      if (r !== undefined && !(typeof r === 'object' && r !== null && 'pending' in r))
        return r as T;
      if (r && typeof r === 'object' && 'pending' in r) last = r.pending;
    } catch (e) {
      last = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    }
    const elapsedMs = performance.now() - t0;
    if (elapsedMs >= opts.timeoutMs)
      throw new WaitTimeout(
        `timed out after ${formatSeconds(opts.timeoutMs)} waiting for ${what}: ${last}`,
      );
    if (opts.progress && performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      opts.progress(
        `waiting <= ${formatSeconds(opts.timeoutMs)} for ${what} (${formatSeconds(elapsedMs)} so far): ${last}`,
      );
    }
    await sleep(Math.min(opts.intervalMs ?? 1000, opts.timeoutMs - elapsedMs), opts.signal);
  }
}
