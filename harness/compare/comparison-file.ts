import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Comparison, comparisonSchemaVersion } from './comparison.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';

export const comparisonFile = 'comparison.json';

/**
 * The comparison.json in a results directory, or undefined when there is none, or when it was
 * written by an earlier schema (the report then recomputes it from the runs, which are kept).
 */
export function readComparison(resultsDir: string): Comparison | undefined {
  const path = join(resultsDir, comparisonFile);
  if (!existsSync(path)) return undefined;
  try {
    const version = (JSON.parse(readFileSync(path, 'utf8')) as { schemaVersion?: unknown })
      .schemaVersion;
    if (typeof version === 'number' && version < comparisonSchemaVersion) return undefined;
  } catch {
    // unreadable: readJsonFile below reports it with the path
  }
  return readJsonFile(path, Comparison, 'comparison');
}

export function writeComparison(resultsDir: string, comparison: Comparison): string {
  const path = join(resultsDir, comparisonFile);
  writeJsonFile(path, Comparison.parse(comparison));
  return path;
}
