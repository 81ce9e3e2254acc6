import { isAbsolute, relative } from 'node:path';

/**
 * Errors carry context and an exit code; only the CLI turns them into process exits.
 * Exit codes are part of tuneproof's interface: CI systems act on them.
 */
export const ExitCode = {
  /** Everything ran; no regression, no SLO failure. */
  success: 0,
  /** A regression verdict or a missed SLO: a result, not a crash. */
  verdictFailure: 1,
  /** Bad input: profile, options, parameters. Every problem is listed. */
  configError: 2,
  /** The runs were invalid (host contention, unhealthy cluster): no verdict is possible. */
  invalidRun: 3,
  /** tuneproof itself or its environment failed (Docker, a build, a cluster that never came up). */
  harnessError: 4,
  /** Interrupted by SIGINT/SIGTERM after cleaning up. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class TuneproofError extends Error {
  override name = 'TuneproofError';
  readonly exitCode: ExitCode;
  constructor(message: string, options?: { cause?: unknown; exitCode?: ExitCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode ?? ExitCode.harnessError;
  }
}

/** Where a problem is: the file, the line/column in it (1-based) and the field path. */
export interface ProblemLocation {
  file?: string;
  line?: number;
  column?: number;
  /** Field path in dotted/indexed form, e.g. `spec.kubelet.evictionHard` or `steps[2].rate`. */
  path: string;
}

export interface Problem extends ProblemLocation {
  message: string;
  severity: 'error' | 'warning';
}

export function formatProblem(p: Problem): string {
  const file =
    p.file && isAbsolute(p.file) && !relative(process.cwd(), p.file).startsWith('..')
      ? relative(process.cwd(), p.file)
      : p.file;
  const where = [file, p.line, p.column].filter((x) => x !== undefined).join(':');
  const prefix = where ? `${where}: ` : '';
  const path = p.path ? `${p.path}: ` : '';
  return printable(`${prefix}${p.severity}: ${path}${p.message}`);
}

/**
 * User input echoed in a message (a path, a --set value) stays one line of plain text: control
 * characters are shown escaped, so an argument with a newline or a terminal escape sequence
 * cannot forge lines or recolour the terminal.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
  return text.replace(/[\u0000-\u001f\u007f\u009b]/g, (c) =>
    c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/** zod's issues as problems, each at its field path (`steps.2.rate`). */
export function zodProblems(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): Problem[] {
  return error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    severity: 'error' as const,
  }));
}

/** One error for a whole set of problems in user input: all of them are reported at once. */
export class ConfigError extends TuneproofError {
  override name = 'ConfigError';
  readonly problems: readonly Problem[];
  constructor(subject: string, problems: readonly Problem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `${printable(subject)}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n${problems
        .map((p) => `  ${formatProblem(p)}`)
        .join('\n')}`,
      { exitCode: ExitCode.configError },
    );
    this.problems = problems;
  }
}

export function isConfigError(e: unknown): e is ConfigError {
  return e instanceof ConfigError;
}

/** A command that failed: carries what to paste to reproduce it, and its output. */
export class CommandError extends TuneproofError {
  override name = 'CommandError';
  readonly command: readonly string[];
  readonly exitStatus: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(
    command: readonly string[],
    exitStatus: number | null,
    stdout: string,
    stderr: string,
    context?: string,
  ) {
    const tail = (s: string) => s.trim().split('\n').slice(-15).join('\n');
    super(
      `${context ? `${context}: ` : ''}command failed (exit ${exitStatus ?? 'signal'}): ${command.join(' ')}${
        stderr.trim() ? `\n${tail(stderr)}` : stdout.trim() ? `\n${tail(stdout)}` : ''
      }`,
    );
    this.command = command;
    this.exitStatus = exitStatus;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** A program tuneproof spawns is missing: says which, what it is for and how to install it. */
export class ProgramNotFoundError extends TuneproofError {
  override name = 'ProgramNotFoundError';
  readonly program: string;
  constructor(program: string, message: string, context?: string) {
    super(`${context ? `${context}: ` : ''}${message}`);
    this.program = program;
  }
}

export function isCommandError(e: unknown): e is CommandError {
  return e instanceof CommandError;
}
