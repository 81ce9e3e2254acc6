import { type Dirent, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type Problem } from '../errors.ts';
import { readInputFile } from '../util/read-input-file.ts';
import { runFiles } from './run-writer.ts';
import { Distribution, Metric, RunResult, Sample, TimelineEvent } from './schema.ts';

/**
 * Result files are checked like any input (a FIFO named run.json would block the read forever);
 * they are larger than profiles, so the limit is higher.
 */
const maxResultFileBytes = 512 * 1024 * 1024;

function readResultFile(path: string): string {
  const r = readInputFile(path, maxResultFileBytes);
  if (!r.ok) throw new Error(r.message);
  return r.text;
}

function readNdjson<T extends z.ZodType>(path: string, schema: T): z.infer<T>[] {
  if (!existsSync(path)) return [];
  const out: z.infer<T>[] = [];
  let text: string;
  try {
    text = readResultFile(path);
  } catch {
    return out; // what cannot be read adds nothing; run.json still says what the run was
  }
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // a line cut short by a kill: everything before it is still good
    }
  }
  return out;
}

/**
 * Reads a run directory. A run that finished is read from run.json; one that never finished
 * (killed) is rebuilt from its NDJSON files and marked `partial`.
 */
export function readRun(dir: string): RunResult {
  const path = join(dir, runFiles.run);
  let raw: unknown;
  try {
    raw = JSON.parse(readResultFile(path));
  } catch (e) {
    throw new ConfigError(`cannot read run ${dir}`, [
      {
        file: path,
        path: '',
        message: e instanceof Error ? e.message : String(e),
        severity: 'error',
      },
    ]);
  }
  const parsed = RunResult.safeParse(raw);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((i) => ({
      file: path,
      path: i.path.join('.'),
      message: i.message,
      severity: 'error',
    }));
    throw new ConfigError(`run ${dir} does not match the result schema`, problems);
  }
  const run = parsed.data;
  if (run.status !== 'running') return run;
  return {
    ...run,
    partial: true,
    timeline: readNdjson(join(dir, runFiles.timeline), TimelineEvent),
    metrics: readNdjson(join(dir, runFiles.metrics), Metric),
    distributions: readNdjson(join(dir, runFiles.distributions), Distribution),
  };
}

export function readSamples(dir: string): Sample[] {
  return readNdjson(join(dir, runFiles.samples), Sample);
}

/** Every run directory (one holding run.json) at or below `root`, sorted by path. */
export function findRunDirs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, runFiles.run))) {
      found.push(dir);
      return; // a run's own subfolders hold its logs, not other runs
    }
    if (depth >= 4) return;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) if (entry.isDirectory()) walk(join(dir, entry.name), depth + 1);
  };
  if (existsSync(root)) walk(root, 0);
  return found.sort();
}
