import { statSync } from 'node:fs';
import { stringify } from 'yaml';
import { ConfigError, type Problem } from '../errors.ts';

/**
 * The pieces of each command's one input-checking pass: every option is checked (kind, size,
 * range) before anything is read, started or looped over, and every problem is collected so the
 * user sees all of them at once, not one per attempt.
 */
export class InputCheck {
  readonly problems: Problem[] = [];

  error(path: string, message: string): void {
    this.problems.push({ path, message, severity: 'error' });
  }

  /** Runs a check that throws ConfigError (a profile load, a parameter parse); keeps its problems. */
  collect<T>(fn: () => T, prefix?: string): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.problems.push(
        ...e.problems.map((p) =>
          prefix ? { ...p, path: p.path ? `${prefix}.${p.path}` : prefix } : p,
        ),
      );
      return undefined;
    }
  }

  /** A whole number within min..max, written as digits only: '' is not 0, '1e9' is not a count. */
  wholeNumber(option: string, text: string | undefined, min: number, max: number): number {
    const trimmed = (text ?? '').trim();
    const n = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!(n >= min && n <= max)) {
      const shown = text === undefined || text === '' ? 'nothing' : `"${text.slice(0, 40)}"`;
      this.error(option, `expected a whole number from ${min} to ${max}, got ${shown}`);
      return min;
    }
    return n;
  }

  /** An output directory: absent (it is created) or a directory, never a file or a FIFO. */
  outputDir(option: string, path: string): void {
    if (!path.trim()) {
      this.error(option, 'expected a directory, got nothing');
      return;
    }
    try {
      if (!statSync(path).isDirectory())
        this.error(option, `${path} exists and is not a directory`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
        this.error(option, `${path}: ${(e as Error).message}`);
    }
  }

  /** One of a fixed set of words. */
  oneOf<T extends string>(option: string, value: string, allowed: readonly T[]): T | undefined {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.error(option, `unknown value "${value.slice(0, 40)}"; known: ${allowed.join(', ')}`);
    return undefined;
  }

  /** Throws one ConfigError for everything found, if anything was an error. */
  done(subject: string): void {
    if (this.problems.some((p) => p.severity === 'error'))
      throw new ConfigError(subject, this.problems);
  }
}

export const outputFormats = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** `-o table|json|yaml` (and the older `--json`), checked in a command's input pass. */
export function outputFormat(
  check: InputCheck,
  opts: { output?: string; json?: boolean },
): OutputFormat {
  if (opts.json && opts.output !== undefined && opts.output !== 'json')
    check.error('--json', `--json contradicts -o ${opts.output}`);
  if (opts.json) return 'json';
  return check.oneOf('-o', opts.output ?? 'table', outputFormats) ?? 'table';
}

/** Machine-readable output: the same data as the table, whole, for scripts (kubectl's -o). */
export function printStructured(format: 'json' | 'yaml', data: unknown): void {
  process.stdout.write(
    format === 'json'
      ? `${JSON.stringify(data, null, 2)}\n`
      : stringify(data, { lineWidth: 0, aliasDuplicateObjects: false }),
  );
}
