import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Comparison } from './comparison.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';

export const comparisonFile = 'comparison.json';

/** The comparison.json in a results directory, or undefined when there is none. */
export function readComparison(resultsDir: string): Comparison | undefined {
  const path = join(resultsDir, comparisonFile);
  if (!existsSync(path)) return undefined;
  return readJsonFile(path, Comparison, 'comparison');
}

export function writeComparison(resultsDir: string, comparison: Comparison): string {
  const path = join(resultsDir, comparisonFile);
  writeJsonFile(path, Comparison.parse(comparison));
  return path;
}
