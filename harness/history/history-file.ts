import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../compare/json-file.ts';
import { History, historyFile } from './nightly-history.ts';

/** history.json in a results directory (written by `tuneproof history --out`), if any. */
export function readHistoryIn(dir: string): History | undefined {
  const path = join(dir, historyFile);
  return existsSync(path) ? readJsonFile(path, History, 'history') : undefined;
}

export function writeHistory(dir: string, history: History): string {
  const path = join(dir, historyFile);
  writeJsonFile(path, History.parse(history));
  return path;
}
