import { ExitCode } from '../errors.ts';
import type {
  ExcludedRun,
  MetricComparison,
  Outcome,
  OverallVerdict,
  PairComparison,
  SloCheck,
} from './comparison.ts';

/**
 * The verdict over a set of metric verdicts: regressed > invalid > improved >
 * no-significant-change. One regression is enough to fail; one metric without a verdict keeps
 * the whole from being called an improvement or "no change". `changed` (direction none) is
 * informational and counts as no change here.
 */
export function combineVerdicts(
  metrics: readonly Pick<MetricComparison, 'verdict'>[],
): OverallVerdict {
  if (metrics.length === 0) return 'invalid';
  const has = (v: string) => metrics.some((m) => m.verdict === v);
  if (has('regressed')) return 'regressed';
  if (has('invalid')) return 'invalid';
  if (has('improved')) return 'improved';
  return 'no-significant-change';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The outcome of a comparison and its exit code. Precedence: a regression or a gating SLO miss
 * fails (exit verdictFailure) even when some runs were invalid, since what was measured already
 * shows it; otherwise excluded runs or metrics without a verdict make it invalid (exit
 * invalidRun), because "no regression" cannot be claimed from runs that are missing; otherwise
 * it passes (exit success). Calibration (A/A) pairs never count.
 */
export function decideOutcome(input: {
  pairs: readonly PairComparison[];
  slo: readonly SloCheck[];
  excludedRuns: readonly ExcludedRun[];
  /** Usable runs found: none at all is invalid. */
  usableRuns: number;
}): Outcome {
  const real = input.pairs.filter((p) => !p.calibration);
  const metrics = real.flatMap((p) => p.metrics);
  const count = (v: string) => metrics.filter((m) => m.verdict === v).length;
  const counts = {
    improved: count('improved'),
    regressed: count('regressed'),
    noSignificantChange: count('no-significant-change'),
    changed: count('changed'),
    invalid: count('invalid'),
    sloFailures: input.slo.filter((s) => s.gating && !s.passed).length,
    excludedRuns: input.excludedRuns.length,
  };
  const verdict = real.length > 0 ? combineVerdicts(metrics) : undefined;

  const failures: string[] = [];
  if (counts.regressed) failures.push(`${plural(counts.regressed, 'metric')} regressed`);
  if (counts.sloFailures) failures.push(`${plural(counts.sloFailures, 'SLO')} missed`);
  const problems: string[] = [];
  if (input.usableRuns === 0) problems.push('no usable runs');
  if (counts.excludedRuns) problems.push(`${plural(counts.excludedRuns, 'run')} excluded`);
  if (counts.invalid) problems.push(`${plural(counts.invalid, 'metric')} without a verdict`);
  const good: string[] = [];
  if (counts.improved) good.push(`${plural(counts.improved, 'metric')} improved`);
  if (counts.changed) good.push(`${plural(counts.changed, 'metric')} changed (informational)`);
  if (counts.noSignificantChange) {
    good.push(`${plural(counts.noSignificantChange, 'metric')} without significant change`);
  }
  if (real.length === 0 && input.usableRuns > 0) {
    const checks = input.slo.filter((s) => s.gating).length;
    good.push(`${plural(input.usableRuns, 'run')}, ${plural(checks, 'SLO check')}, no comparison`);
  }

  if (failures.length > 0) {
    return {
      status: 'fail',
      ...(verdict ? { verdict } : {}),
      exitCode: ExitCode.verdictFailure,
      headline: `FAIL: ${[...failures, ...problems].join(', ')}`,
      counts,
    };
  }
  if (problems.length > 0) {
    return {
      status: 'invalid',
      ...(verdict ? { verdict } : {}),
      exitCode: ExitCode.invalidRun,
      headline: `INVALID: ${[...problems, ...good].join(', ')}`,
      counts,
    };
  }
  return {
    status: 'pass',
    ...(verdict ? { verdict } : {}),
    exitCode: ExitCode.success,
    headline: `PASS: ${good.join(', ') || 'nothing to compare'}`,
    counts,
  };
}
