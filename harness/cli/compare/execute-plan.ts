import type { PlannedRun } from '../../compare/plan-runs.ts';
import { ConfigError } from '../../errors.ts';
import type { RunStatus } from '../../results/schema.ts';
import { log as defaultLog, type Logger } from '../../util/log.ts';

/** How one attempt at a planned run ended. */
export interface RunAttempt {
  status: Exclude<RunStatus, 'running'>;
  invalid: string[];
  error?: string;
}

export interface ExecutePlanOptions {
  /** The runs to make now, in plan order. */
  runs: readonly PlannedRun[];
  /** Runs the comparison makes in all (this invocation and earlier ones): "run k of total". */
  total: number;
  /** Runs already complete before this invocation (a resume). */
  done?: number;
  /**
   * Wall times of earlier runs (a resume's complete runs, earlier blocks of `--repeat auto`);
   * the estimate is the mean over these and this call's runs.
   */
  priorDurationsMs?: readonly number[];
  /**
   * When the comparison's runs began (same clock as `now`), for "elapsed": `--repeat auto` calls
   * this once per block. Default: the start of this call.
   */
  startedAt?: number;
  /**
   * Runs the comparison may still make after these (the later blocks of `--repeat auto`, up to
   * its maximum): counted in what is left, which then reads "at most".
   */
  laterRuns?: number;
  /**
   * Makes one run. A harness failure inside it is its own result (status failed), never a throw;
   * if it throws anyway the run is counted failed and the comparison goes on. A ConfigError is
   * bad input that would fail every run: it stops the comparison.
   */
  runOne(run: PlannedRun): Promise<RunAttempt>;
  /** Checked before each run: true once the user asked to stop (Ctrl-C). */
  stopRequested?(): boolean;
  now?(): number;
  log?: Logger;
}

export interface ExecutedRun {
  run: PlannedRun;
  attempt: RunAttempt;
  durationMs: number;
}

export interface ExecutePlanResult {
  executed: ExecutedRun[];
  /** Stopped before every run was made. */
  stopped: boolean;
}

/** "1h02m", "6m40s", "42s". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Mean wall time of the runs so far times the runs left; undefined before any run ended. */
export function estimateRemainingMs(
  durationsMs: readonly number[],
  remaining: number,
): number | undefined {
  if (durationsMs.length === 0) return undefined;
  return (durationsMs.reduce((a, b) => a + b, 0) / durationsMs.length) * remaining;
}

export function describeRun(run: PlannedRun): string {
  return `${run.scenario}, profile ${run.profile} (${run.calibration ? 'A/A calibration ' : ''}side ${run.side}, repetition ${run.repetition})`;
}

/**
 * Makes the runs one after another (never two at once: they would share the machine's two cores
 * and measure each other), logging which run of how many, what it is, the elapsed time and an
 * estimate of what is left. One run failing does not stop the others.
 */
export async function executePlan(options: ExecutePlanOptions): Promise<ExecutePlanResult> {
  const log = options.log ?? defaultLog;
  const now = options.now ?? (() => performance.now());
  const t0 = options.startedAt ?? now();
  const later = options.laterRuns ?? 0;
  const executed: ExecutedRun[] = [];
  const durations: number[] = [];
  let position = options.done ?? 0;
  for (const [i, run] of options.runs.entries()) {
    if (options.stopRequested?.()) return { executed, stopped: true };
    position++;
    const label = `Run ${position}/${options.total}`;
    const left = options.runs.length - i + later;
    const estimate = estimateRemainingMs([...(options.priorDurationsMs ?? []), ...durations], left);
    log.info(
      `${label}: ${describeRun(run)} on a fresh cluster; elapsed ${formatDuration(now() - t0)}, ${
        estimate === undefined
          ? 'estimate after the first run'
          : `about ${formatDuration(estimate)} left for ${later ? 'at most ' : ''}${left} run${left === 1 ? '' : 's'}`
      }`,
    );
    const started = now();
    let attempt: RunAttempt;
    try {
      attempt = await options.runOne(run);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      attempt = {
        status: 'failed',
        invalid: [],
        error: e instanceof Error ? e.message : String(e),
      };
    }
    const durationMs = now() - started;
    durations.push(durationMs);
    executed.push({ run, attempt, durationMs });
    const took = formatDuration(durationMs);
    // Ctrl-C during a run: its cluster was removed under it, so whatever it reports, it was
    // interrupted (a resume makes it again)
    if (attempt.status !== 'complete' && options.stopRequested?.()) {
      log.warn(`${label} interrupted after ${took}`);
      return { executed, stopped: true };
    }
    if (attempt.status === 'complete' && attempt.invalid.length === 0) {
      log.info(`${label} complete after ${took}`);
    } else if (attempt.status === 'complete') {
      log.warn(
        `${label} complete after ${took} but invalid, so excluded: ${attempt.invalid.join('; ')}`,
      );
    } else {
      const why = attempt.error ? `: ${attempt.error.split('\n')[0]}` : '';
      log.warn(
        `${label} ${attempt.status} after ${took}${why}; it is excluded and the comparison goes on`,
      );
      if (attempt.status === 'interrupted') return { executed, stopped: true };
    }
  }
  return { executed, stopped: false };
}
