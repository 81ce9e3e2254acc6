import { runCli } from '../../../harness/cli/run-cli.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `tuneproof <args>` in this process (no 3-10 s Node start per input on a loaded machine),
 * capturing what it writes. Runs are queued: stdout/stderr are process-wide.
 */
export function cli(...args: string[]): Promise<CliResult> {
  const run = queue.then(async () => {
    const out: string[] = [];
    const err: string[] = [];
    const write = process.stdout.write;
    const errWrite = process.stderr.write;
    process.stdout.write = ((chunk: string | Uint8Array) =>
      out.push(String(chunk)) > 0) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string | Uint8Array) =>
      err.push(String(chunk)) > 0) as typeof process.stderr.write;
    const started = Date.now();
    try {
      const code = await runCli(['node', 'tuneproof', ...args], { signals: false });
      return { code, stdout: out.join(''), stderr: err.join(''), ms: Date.now() - started };
    } finally {
      process.stdout.write = write;
      process.stderr.write = errWrite;
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/** What a stack trace or an unhandled error looks like on the terminal. */
export const crashRe = /\n\s+at |internal error|Error: |TypeError|RangeError|ReferenceError/;
