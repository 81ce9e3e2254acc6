import { createReadStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exec } from '../util/exec.ts';
import { log } from '../util/log.ts';
import { redact } from '../util/redact.ts';
import { redactJsonFile, redactNdjsonFile } from '../util/redact-file.ts';

export interface K6Run {
  /** k6's handleSummary JSON (the script writes it to SUMMARY_PATH). */
  summary: unknown;
  /** NDJSON of every metric point (`--out json`), for HDR histograms and per-second counts. */
  pointsFile: string;
  exitStatus: number | null;
}

/**
 * Runs a k6 script (TypeScript: k6 strips the types itself) with inputs only through the
 * environment (__ENV). Secrets go in `secretEnv`: they reach k6 as environment variables, never
 * as arguments, so they show neither in `ps` nor in logs. A k6 threshold failure (exit 99) is a
 * result, not an error.
 */
export async function runK6(opts: {
  k6: string;
  script: string;
  outDir: string;
  env: Record<string, string>;
  secretEnv?: Record<string, string>;
  /** Stops the run early: k6 gets SIGINT, ends its iterations and still writes its summary. */
  signal?: AbortSignal;
}): Promise<K6Run> {
  mkdirSync(opts.outDir, { recursive: true });
  const pointsFile = join(opts.outDir, 'k6-points.ndjson');
  const summaryPath = join(opts.outDir, 'k6-summary.json');
  const env = {
    ...process.env,
    ...opts.env,
    ...opts.secretEnv,
    SUMMARY_PATH: summaryPath,
    K6_NO_USAGE_REPORT: 'true',
  };
  const r = await exec(
    opts.k6,
    ['run', '--quiet', '--no-color', '--out', `json=${pointsFile}`, opts.script],
    {
      env,
      allowFailure: true,
      onLine: (line) => log.debug(`k6: ${line}`),
      context: `k6 ${opts.script}`,
      signal: opts.signal,
      killSignal: 'SIGINT',
    },
  );
  // k6 writes these itself, into the results directory: redact them before anything else reads
  // or uploads them (a token in a URL tag, a secret a script logged into its summary)
  redactJsonFile(summaryPath);
  await redactNdjsonFile(pointsFile);
  // 105: k6 stopped by a signal, as asked through opts.signal
  const stopped = r.exitStatus === 105 && opts.signal?.aborted === true;
  if (r.exitStatus !== 0 && r.exitStatus !== 99 && !stopped) {
    throw new Error(
      `k6 failed (exit ${r.exitStatus}): ${redact(r.stderr.split('\n').slice(-10).join('\n'))}`,
    );
  }
  const summary = existsSync(summaryPath)
    ? JSON.parse(readFileSync(summaryPath, 'utf8'))
    : undefined;
  return { summary, pointsFile, exitStatus: r.exitStatus };
}

export interface K6Point {
  metric: string;
  /** Milliseconds since the epoch. */
  timeMs: number;
  value: number;
  tags: Record<string, string>;
}

/** Streams the points of a k6 `--out json` file. */
export async function* readK6Points(
  file: string,
  metrics?: ReadonlySet<string>,
): AsyncGenerator<K6Point> {
  const rl = createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) {
    if (!line.startsWith('{"type":"Point"') && !line.includes('"type":"Point"')) continue;
    const p = JSON.parse(line) as {
      metric: string;
      data: { time: string; value: number; tags?: Record<string, string> };
    };
    if (metrics && !metrics.has(p.metric)) continue;
    yield {
      metric: p.metric,
      timeMs: Date.parse(p.data.time),
      value: p.data.value,
      tags: p.data.tags ?? {},
    };
  }
}
