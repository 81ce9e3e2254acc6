import type { MetricStatistics } from './compare-metric.ts';
import type { MetricComparison, OverallVerdict, PrimaryJudgement } from './comparison.ts';
import { detectableChange, pooledSd, sdUpperBound } from './detectable-shift.ts';
import { formatNumber, formatPValue } from './format-number.ts';
import { hodgesLehmannCi, minOneSidedP } from './hodges-lehmann-ci.ts';
import { benjaminiHochberg, holmAdjust } from './multiplicity.ts';
import {
  describeMargin,
  effectiveMargin,
  type Margin,
  type PrimaryMetric,
} from './primary-metric.ts';
import { shiftTest } from './shift-test.ts';

export interface JudgeOptions {
  /** Error rate of the comparison (informational metrics: FDR). */
  alpha: number;
  /** Level of the primaries' family this look (alpha, or the spent increment with --repeat auto). */
  level: number;
  /** Confidence of the intervals shown for informational metrics. */
  confidence: number;
  /** Margins given for this comparison, by metric key. */
  margins?: Readonly<Record<string, Margin>>;
}

/**
 * Margin used when a scenario declares no primary metrics: every metric with a better direction
 * is then primary with this relative margin (a safe default, weaker in power).
 */
export const fallbackMargin: Margin = { relative: 0.1 };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Verdicts for every metric of one baseline/candidate pair.
 *
 * Primary metrics (the scenario's, see primary-metric.ts) are judged against their practical
 * margin m by three one-sided exact tests of the shift: worse by more than m, better by more than
 * m, and equivalence by two one-sided tests (TOST: within +-m). Each family is Holm-adjusted
 * across the pair's primaries, so a false "regressed" (the only verdict that fails) happens at
 * most at rate `level` whatever the number of primaries. The interval shown is the exact
 * 1 - 2 level interval TOST corresponds to.
 *
 * Informational metrics get a two-sided exact test at no shift, Benjamini-Hochberg adjusted across
 * the pair: improved / regressed / changed, never a failure.
 */
export function judgePair(
  stats: readonly MetricStatistics[],
  declared: readonly PrimaryMetric[] | undefined,
  opts: JudgeOptions,
): { metrics: MetricComparison[]; verdict: OverallVerdict } {
  const primaries: PrimaryMetric[] = declared?.length
    ? [...declared]
    : stats
        .filter((s) => s.comparison.direction !== 'none')
        .map((s) => ({
          metric: s.comparison.key,
          direction: s.comparison.direction as 'lower' | 'higher',
          margin: fallbackMargin,
          why: 'the scenario declares no primary metrics: every metric with a better direction is one',
        }));
  const primaryOf = new Map(primaries.map((p) => [p.metric, p]));
  const out = new Map<MetricStatistics, MetricComparison>();

  // primaries: one-sided tests against the margin, Holm per family
  const judged: { s: MetricStatistics; p: PrimaryMetric; judgement: PrimaryJudgement }[] = [];
  for (const s of stats) {
    const p = primaryOf.get(s.comparison.key);
    if (!p) continue;
    const c = s.comparison;
    if (s.problem) {
      out.set(s, { ...c, role: 'primary', verdict: 'invalid', reason: s.problem });
      continue;
    }
    if (!c.shift) {
      out.set(s, {
        ...c,
        role: 'primary',
        verdict: 'inconclusive',
        reason: `only the ${c.baseline.n === 0 ? 'candidate' : 'baseline'} observed it, and it is not a milestone censored at the window's end`,
      });
      continue;
    }
    const override = opts.margins?.[c.key];
    const margin = override ?? p.margin;
    const m = effectiveMargin(margin, c.baseline.median);
    const up = shiftTest(s.baseline, s.candidate, m);
    const down = shiftTest(s.baseline, s.candidate, -m);
    const lowerBetter = p.direction === 'lower';
    const pv = {
      worse: lowerBetter ? up.pAbove : down.pBelow,
      better: lowerBetter ? down.pBelow : up.pAbove,
      equivalent: m > 0 ? Math.max(up.pBelow, down.pAbove) : 1,
    };
    const uncensored = (xs: typeof s.baseline) => xs.filter((o) => !o.censored).map((o) => o.value);
    const ua = uncensored(s.baseline);
    const ub = uncensored(s.candidate);
    const sd = pooledSd(ua, ub);
    const df = Math.max(0, ua.length - 1) + Math.max(0, ub.length - 1);
    const spread = sd === null ? null : sdUpperBound(sd, df);
    judged.push({
      s,
      p,
      judgement: {
        margin,
        marginAbsolute: m,
        marginOverridden: override !== undefined,
        why: p.why,
        p: pv,
        adjusted: pv,
        level: opts.level,
        detectable: {
          absolute: null,
          relative: null,
          spread,
          runsPerSide: [c.baseline.n, c.candidate.n],
        },
      },
    });
  }
  const adjust = (key: 'worse' | 'better' | 'equivalent') =>
    holmAdjust(judged.map((j) => j.judgement.p[key]));
  const worse = adjust('worse');
  const better = adjust('better');
  const equivalent = adjust('equivalent');
  const k = Math.max(1, judged.length);
  for (const [i, { s, p, judgement }] of judged.entries()) {
    const c = s.comparison;
    const adjusted = { worse: worse[i]!, better: better[i]!, equivalent: equivalent[i]! };
    const n1 = c.baseline.n;
    const n2 = c.candidate.n;
    // Holm's first step tests at level/k: the power a primary is guaranteed whatever the others do
    const worstLevel = opts.level / k;
    const detectable = detectableChange({
      n1,
      n2,
      spread: judgement.detectable.spread,
      margin: judgement.marginAbsolute,
      level: worstLevel,
    });
    const ci = hodgesLehmannCi(
      s.baseline.map((o) => o.value),
      s.candidate.map((o) => o.value),
      Math.max(0.5, 1 - 2 * opts.level),
    );
    const full: PrimaryJudgement = {
      ...judgement,
      adjusted,
      detectable: {
        ...judgement.detectable,
        absolute: detectable,
        relative:
          detectable !== null && c.baseline.median
            ? detectable / Math.abs(c.baseline.median)
            : null,
      },
    };
    const m = judgement.marginAbsolute;
    const marginText = `margin ±${formatNumber(m)} ${c.unit} (${describeMargin(judgement.margin, c.unit)}${judgement.marginOverridden ? ', set for this comparison' : ''})`;
    const ciText = `${(ci.confidence * 100).toFixed(1)}% CI [${formatNumber(ci.low)}, ${formatNumber(ci.high)}]`;
    const censoredText = c.censored
      ? `; ${c.censored.baseline} baseline and ${c.censored.candidate} candidate runs did not reach it within the window (censored, Gehan test; the shift is a bound)`
      : '';
    const level = opts.level;
    let verdict: MetricComparison['verdict'];
    let reason: string;
    if (adjusted.worse <= level) {
      verdict = 'regressed';
      reason = `worse by more than the ${marginText}: Holm-adjusted p=${formatPValue(adjusted.worse)} ≤ ${formatNumber(level)}, ${ciText}`;
    } else if (adjusted.better <= level) {
      verdict = 'improved';
      reason = `better by more than the ${marginText}: Holm-adjusted p=${formatPValue(adjusted.better)} ≤ ${formatNumber(level)}, ${ciText}`;
    } else if (adjusted.equivalent <= level) {
      verdict = 'equivalent';
      reason = `within the ${marginText}: TOST Holm-adjusted p=${formatPValue(adjusted.equivalent)} ≤ ${formatNumber(level)}, ${ciText}`;
    } else {
      verdict = 'inconclusive';
      const minP = minOneSidedP(n1, n2);
      reason =
        minP > worstLevel
          ? `too few runs: with ${n1} vs ${n2} runs the smallest one-sided p is ${formatPValue(minP)}, above the ${formatNumber(worstLevel)} Holm needs for the first of ${plural(k, 'primary metric')}`
          : `${ciText} reaches across the ${marginText} (smallest Holm-adjusted p ${formatPValue(Math.min(adjusted.worse, adjusted.better, adjusted.equivalent))} > ${formatNumber(level)})${
              detectable === null
                ? ''
                : `; this comparison detects changes of ${formatNumber(detectable)} ${c.unit} or more`
            }`;
    }
    out.set(s, {
      ...c,
      direction: p.direction,
      role: 'primary',
      primary: full,
      shift: c.shift ? { ...c.shift, ci } : undefined,
      verdict,
      reason: reason + censoredText,
    } as MetricComparison);
  }

  // informational: two-sided exact test at no shift, Benjamini-Hochberg across the pair
  const info = stats.filter((s) => !primaryOf.has(s.comparison.key));
  const tested = info.filter((s) => !s.problem && s.comparison.test);
  const q = benjaminiHochberg(tested.map((s) => s.comparison.test!.pValue));
  const qOf = new Map(tested.map((s, i) => [s, q[i]!]));
  for (const s of info) {
    const c = s.comparison;
    if (s.problem) {
      out.set(s, { ...c, verdict: 'invalid', reason: s.problem });
      continue;
    }
    if (!c.test || !c.shift) {
      out.set(s, {
        ...c,
        verdict: c.baseline.n === 0 && c.candidate.n === 0 ? 'invalid' : 'changed',
        reason:
          c.baseline.n === 0 && c.candidate.n === 0
            ? 'observed by neither side'
            : `only the ${c.baseline.n === 0 ? 'candidate' : 'baseline'} observed it (not reached, or not produced, in any ${c.baseline.n === 0 ? 'baseline' : 'candidate'} run)`,
      });
      continue;
    }
    const adjustedPValue = qOf.get(s)!;
    const test = { ...c.test, adjustedPValue };
    const ciText = `${Math.round(c.shift.ci.nominal * 100)}% CI [${formatNumber(c.shift.ci.low)}, ${formatNumber(c.shift.ci.high)}]`;
    const evidence = `p=${formatPValue(c.test.pValue)}, BH-adjusted ${formatPValue(adjustedPValue)}`;
    if (c.test.minPValue >= opts.alpha) {
      out.set(s, {
        ...c,
        test,
        verdict: 'no-significant-change',
        reason: `too few runs to be significant: the smallest p with ${c.baseline.n} vs ${c.candidate.n} runs is ${formatPValue(c.test.minPValue)}`,
      });
    } else if (adjustedPValue > opts.alpha || c.shift.estimate === 0) {
      out.set(s, {
        ...c,
        test,
        verdict: 'no-significant-change',
        reason: `${evidence} > ${opts.alpha} (informational)`,
      });
    } else {
      const better = c.direction === 'lower' ? c.shift.estimate < 0 : c.shift.estimate > 0;
      out.set(s, {
        ...c,
        test,
        verdict: c.direction === 'none' ? 'changed' : better ? 'improved' : 'regressed',
        reason: `${evidence} ≤ ${opts.alpha}, ${ciText} (informational: never fails)`,
      });
    }
  }
  const metrics = stats.map((s) => out.get(s)!);
  const ordered = [
    ...metrics.filter((m) => m.role === 'primary'),
    ...metrics.filter((m) => m.role !== 'primary'),
  ];
  return { metrics: ordered, verdict: pairVerdict(ordered) };
}

/**
 * The pair's verdict from its primaries: regressed > invalid > improved > inconclusive >
 * equivalent. Without primaries judged, invalid.
 */
export function pairVerdict(
  metrics: readonly Pick<MetricComparison, 'verdict' | 'role'>[],
): OverallVerdict {
  const primaries = metrics.filter((m) => m.role === 'primary');
  const has = (v: string) => primaries.some((m) => m.verdict === v);
  if (primaries.length === 0) return 'invalid';
  if (has('regressed')) return 'regressed';
  if (has('invalid')) return 'invalid';
  if (has('improved')) return 'improved';
  if (has('inconclusive')) return 'inconclusive';
  return 'equivalent';
}
