import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { redact } from '../util/redact.ts';

/** Reads and validates a JSON file; every schema problem is reported with its field path. */
export function readJsonFile<T extends z.ZodType>(
  path: string,
  schema: T,
  subject: string,
): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read ${subject}`, [
      {
        file: path,
        path: '',
        message: e instanceof Error ? e.message : String(e),
        severity: 'error',
      },
    ]);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    `${path} is not a valid ${subject}`,
    parsed.error.issues.map((i) => ({
      file: path,
      path: i.path.map(String).join('.'),
      message: i.message,
      severity: 'error' as const,
    })),
  );
}

/** Writes JSON atomically (temp file + rename), redacted like everything tuneproof writes. */
export function writeJsonFile(path: string, value: unknown): void {
  writeFileSync(`${path}.tmp`, redact(`${JSON.stringify(value, null, 2)}\n`));
  renameSync(`${path}.tmp`, path);
}
