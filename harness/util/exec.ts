import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CommandError, ProgramNotFoundError } from '../errors.ts';
import { missingProgramMessage } from './host-tools.ts';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Stream each output line to this callback (for progress) while still collecting it. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
  /** Resolve instead of throwing on a non-zero exit. */
  allowFailure?: boolean;
  context?: string;
  /** Stop the command when aborted, with `killSignal` (default SIGTERM); its exit is then reported as usual. */
  signal?: AbortSignal;
  killSignal?: NodeJS.Signals;
}

export interface ExecResult {
  exitStatus: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a host command without a shell. A non-zero exit throws a CommandError that names the
 * command and carries its output, unless allowFailure is set.
 */
export function exec(
  command: string,
  args: readonly string[],
  opts: ExecOptions = {},
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs,
      signal: opts.signal,
      killSignal: opts.killSignal,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const lineSplitter = (stream: 'stdout' | 'stderr') => {
      let rest = '';
      return (chunk: Buffer) => {
        if (!opts.onLine) return;
        rest += chunk.toString('utf8');
        const lines = rest.split('\n');
        rest = lines.pop() ?? '';
        for (const l of lines) opts.onLine(l, stream);
      };
    };
    const outLines = lineSplitter('stdout');
    const errLines = lineSplitter('stderr');
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      outLines(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      err.push(c);
      errLines(c);
    });
    child.on('error', (e) => {
      // an abort through `signal` is asked for: the exit that follows is the result
      if (e.name === 'AbortError') return;
      // spawn says ENOENT for a missing working directory too
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !(opts.cwd && !existsSync(opts.cwd))) {
        reject(new ProgramNotFoundError(command, missingProgramMessage(command), opts.context));
        return;
      }
      reject(new CommandError([command, ...args], null, '', String(e), opts.context));
    });
    child.on('close', (code) => {
      const result = {
        exitStatus: code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (code === 0 || opts.allowFailure) resolve(result);
      else
        reject(
          new CommandError([command, ...args], code, result.stdout, result.stderr, opts.context),
        );
    });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}
