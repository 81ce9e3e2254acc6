import { redact } from './redact.ts';

/**
 * Logs name the resource and pair start with finish ("Pausing node w2..." / "Paused node w2
 * after 1.2s"). They go to stderr so stdout stays for machine-readable output.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
  /** Logs `start`, runs `fn`, logs `done(elapsed)` or the failure; returns fn's value. */
  step<T>(start: string, done: string, fn: () => Promise<T>): Promise<T>;
}

const verbose = () => process.env.TUNEPROOF_DEBUG === '1';

export function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function write(level: string, message: string): void {
  const ts = new Date().toISOString().slice(11, 19);
  process.stderr.write(`${ts} ${level}${redact(message)}\n`);
}

export const log: Logger = {
  info: (m) => write('', m),
  warn: (m) => write('warning: ', m),
  debug: (m) => {
    if (verbose()) write('debug: ', m);
  },
  async step(start, done, fn) {
    const t0 = performance.now();
    write('', `${start}...`);
    try {
      const v = await fn();
      write('', `${done} after ${formatSeconds(performance.now() - t0)}`);
      return v;
    } catch (e) {
      write('', `${start} failed after ${formatSeconds(performance.now() - t0)}`);
      throw e;
    }
  },
};
