import { ExitCode } from '../errors.ts';
import type { ExcludedRun, Outcome, PairComparison, SloCheck } from './comparison.ts';
import { formatNumber } from './format-number.ts';
import { pairVerdict } from './judge-pair.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The outcome of a comparison and its exit code. Only primary metrics and gating SLOs decide:
 * a primary regressed beyond its margin or a gating SLO missed (the candidate misses, the
 * baseline meets it; a miss both share is an environment finding and fails only with
 * --strict-slo) fails (exit verdictFailure), even when some runs were invalid, since what was
 * measured already shows it; otherwise excluded runs or primaries without statistics make it
 * invalid (exit invalidRun); otherwise it passes, inconclusive primaries included (a nightly
 * that fails for lack of runs is switched off; the headline says what is undecided).
 * Calibration (A/A) pairs never count.
 */
export function decideOutcome(input: {
  pairs: readonly PairComparison[];
  slo: readonly SloCheck[];
  excludedRuns: readonly ExcludedRun[];
  /** Usable runs found: none at all is invalid. */
  usableRuns: number;
  strictSlo?: boolean;
}): Outcome {
  const real = input.pairs.filter((p) => !p.calibration);
  const metrics = real.flatMap((p) => p.metrics);
  const primaries = metrics.filter((m) => m.role === 'primary');
  const info = metrics.filter((m) => m.role !== 'primary');
  const countOf = (list: typeof metrics, v: string) => list.filter((m) => m.verdict === v).length;
  const environment = input.slo.filter((s) => s.gating && !s.passed && s.environment);
  const sloFailures = input.slo.filter(
    (s) => s.gating && !s.passed && (!s.environment || input.strictSlo),
  );
  const counts = {
    primary: {
      improved: countOf(primaries, 'improved'),
      regressed: countOf(primaries, 'regressed'),
      equivalent: countOf(primaries, 'equivalent'),
      inconclusive: countOf(primaries, 'inconclusive'),
      invalid: countOf(primaries, 'invalid'),
    },
    environmentFindings: environment.length,
    improved: countOf(info, 'improved'),
    regressed: countOf(info, 'regressed'),
    noSignificantChange: countOf(info, 'no-significant-change'),
    changed: countOf(info, 'changed'),
    invalid: countOf(info, 'invalid'),
    sloFailures: sloFailures.length,
    excludedRuns: input.excludedRuns.length,
  };
  const verdict = real.length > 0 ? pairVerdict(metrics) : undefined;
  const p = counts.primary;

  const failures: string[] = [];
  if (p.regressed) failures.push(`${plural(p.regressed, 'primary metric')} regressed`);
  if (sloFailures.length) failures.push(`${plural(sloFailures.length, 'SLO')} missed`);
  const problems: string[] = [];
  if (input.usableRuns === 0) problems.push('no usable runs');
  if (counts.excludedRuns) problems.push(`${plural(counts.excludedRuns, 'run')} excluded`);
  if (p.invalid) problems.push(`${plural(p.invalid, 'primary metric')} without statistics`);
  const good: string[] = [];
  if (p.improved) good.push(`${plural(p.improved, 'primary metric')} improved`);
  if (p.equivalent) good.push(`${plural(p.equivalent, 'primary metric')} equivalent`);
  if (p.inconclusive) good.push(`${plural(p.inconclusive, 'primary metric')} inconclusive`);
  const moved = counts.improved + counts.regressed + counts.changed;
  if (info.length)
    good.push(
      `${plural(info.length, 'informational metric')}${moved ? ` (${counts.improved} improved, ${counts.regressed} regressed, ${counts.changed} changed)` : ''}`,
    );
  if (real.length === 0 && input.usableRuns > 0) {
    const checks = input.slo.filter((s) => s.gating).length;
    good.push(`${plural(input.usableRuns, 'run')}, ${plural(checks, 'SLO check')}, no comparison`);
  }
  // an A/A calibration's primaries, so the check "the harness finds nothing where there is
  // nothing" reads from the headline (they never fail)
  const aa = input.pairs.filter((x) => x.calibration).flatMap((x) => x.metrics);
  const aaPrimaries = aa.filter((m) => m.role === 'primary');
  if (aaPrimaries.length) {
    const by = ['equivalent', 'inconclusive', 'improved', 'regressed', 'invalid']
      .map((v) => [v, countOf(aaPrimaries, v)] as const)
      .filter(([, n]) => n > 0)
      .map(([v, n]) => `${n} ${v}`);
    good.push(`A/A calibration primaries: ${by.join(', ')}`);
  }
  const env = environment.length
    ? [
        `environment: ${environment
          .map(
            (s) =>
              `${s.metric} ${s.objective.op} ${formatNumber(s.objective.threshold)} ${s.unit} missed (${s.side} median ${formatNumber(s.median)}), the baseline no better by the runs${input.strictSlo ? '' : ', not the profile'}`,
          )
          .join('; ')}`,
      ]
    : [];

  if (failures.length > 0) {
    return {
      status: 'fail',
      ...(verdict ? { verdict } : {}),
      exitCode: ExitCode.verdictFailure,
      headline: `FAIL: ${[...failures, ...problems, ...env].join(', ')}`,
      counts,
    };
  }
  if (problems.length > 0) {
    return {
      status: 'invalid',
      ...(verdict ? { verdict } : {}),
      exitCode: ExitCode.invalidRun,
      headline: `INVALID: ${[...problems, ...good, ...env].join(', ')}`,
      counts,
    };
  }
  return {
    status: 'pass',
    ...(verdict ? { verdict } : {}),
    exitCode: ExitCode.success,
    headline: `PASS: ${[...good, ...env].join(', ') || 'nothing to compare'}`,
    counts,
  };
}
