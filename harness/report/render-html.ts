import { basename, resolve } from 'node:path';
import { formatNumber } from '../compare/format-number.ts';
import { groupLabel } from '../compare/group-runs.ts';
import { escapeHtml as e } from './escape-html.ts';
import { groupSection } from './group-section.ts';
import { groupAnchor, groupViews } from './group-view.ts';
import { htmlPage } from './html-page.ts';
import type { ReportData } from './report-data.ts';
import { runsSection } from './runs-section.ts';
import { trendSection } from './trend-section.ts';
import { verdictBadge } from './verdict-table.ts';

function designText(c: ReportData['comparison']): string {
  const d = c.design;
  if (!d) return 'not recorded';
  const parts = [
    d.interleaved
      ? 'interleaved blocks'
      : 'NOT interleaved: the baseline runs come from an earlier results directory (--baseline), so a drift of the machine between then and now counts as a difference',
  ];
  if (d.seed !== undefined) parts.push(`block order seed ${d.seed}`);
  if (d.sequential) {
    const s = d.sequential;
    parts.push(
      `--repeat auto: look ${s.look}, ${s.blocks} blocks (min ${s.minBlocks}, max ${s.maxBlocks}), α spent ${formatNumber(s.spent)}, ${s.stopped === 'decided' ? 'stopped: every primary decided' : s.stopped === 'max-blocks' ? 'stopped at the maximum' : 'continuing'}`,
    );
  }
  if (d.strictSlo) parts.push('--strict-slo');
  return parts.join('; ');
}

/** SLOs both sides missed: the machine's finding, shown before anything else. */
function environmentBox(c: ReportData['comparison']): string {
  const env = c.slo.filter((s) => s.environment);
  if (env.length === 0) return '';
  const items = env.map((s) => {
    const base = c.slo.find(
      (b) =>
        !b.gating &&
        b.metric === s.metric &&
        b.scenario === s.scenario &&
        b.comparisonId === s.comparisonId,
    );
    return `<li><b>${e(s.scenario)}</b> <code>${e(s.metric)}</code> ${e(s.objective.op)} ${e(formatNumber(s.objective.threshold))} ${e(s.unit)}: baseline median ${e(base ? formatNumber(base.median) : '–')}, ${e(s.side)} median ${e(formatNumber(s.median))} — both miss it (${e(s.objective.source)})</li>`;
  });
  return `<div class="environment"><b>Environment findings</b>: objectives this machine misses whatever the profile${c.design?.strictSlo ? ' (--strict-slo: they fail the comparison)' : ' (they do not fail the comparison; --strict-slo makes them)'}:<ul>${items.join('')}</ul></div>`;
}

/** report.html: one self-contained page (inline CSS and SVG, no script, no fetch). */
export async function renderHtml(data: ReportData): Promise<string> {
  const c = data.comparison;
  const groups = groupViews(c, data.runs);
  const { outcome, options } = c;
  const used = c.sides.reduce((n, s) => n + s.runIds.length, 0);
  const profiles = [...new Set(c.sides.map((s) => s.profile.name))];
  const floor =
    c.noiseFloor.source === 'none'
      ? 'none (no A/A calibration)'
      : c.noiseFloor.source === 'calibration'
        ? 'from the A/A calibration among these runs'
        : `from ${c.noiseFloor.path ?? 'a file'}`;
  const facts = [
    ['Generated', data.generatedAt.toISOString()],
    ['Runs', `${used} used, ${c.excludedRuns.length} excluded`],
    ['Profiles', profiles.join(', ') || '–'],
    [
      'α',
      `${options.alpha}${options.lookAlpha === undefined ? '' : ` (this look: ${formatNumber(options.lookAlpha)})`}`,
    ],
    ['Intervals', 'exact, from the order statistics of the pairwise differences'],
    ['Design', designText(c)],
    ['Noise floor', floor],
    [
      'Comparison',
      data.comparisonSource === 'file' ? 'comparison.json' : 'computed by this report',
    ],
  ];
  const toc = groups
    .map((g) => {
      const pair = c.pairs.find(
        (p) =>
          !p.calibration &&
          p.comparisonId === g.comparisonId &&
          p.scenario === g.scenario &&
          p.preset === g.preset,
      );
      const cal = c.pairs.some(
        (p) => p.calibration && p.comparisonId === g.comparisonId && p.scenario === g.scenario,
      );
      return `<li><a href="#${groupAnchor(g)}">${e(groupLabel(g))}</a>${cal ? ' <small>(A/A calibration)</small>' : ''} ${pair ? verdictBadge(pair.verdict) : ''}</li>`;
    })
    .join('');
  const sections: string[] = [];
  for (const g of groups) sections.push(await groupSection(g, c));
  const excluded = c.excludedRuns.length
    ? `<h2>Excluded runs</h2><ul>${c.excludedRuns.map((x) => `<li><code>${e(x.runId)}</code> <small>${e([x.profile, x.scenario].filter(Boolean).join(', '))}</small>: ${e(x.reasons.join('; '))}</li>`).join('')}</ul>`
    : '';
  const notes = c.notes.length
    ? `<ul class="notes">${c.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`
    : '';
  const title = `tuneproof report: ${basename(resolve(data.resultsDir))}`;
  const body = `<header>
<h1>${e(title)}</h1>
<div class="banner ${outcome.status}" id="outcome">${e(outcome.headline)} <small>(exit ${outcome.exitCode})</small></div>
<ul class="facts">${facts.map(([k, v]) => `<li>${e(k)}: <b>${e(v)}</b></li>`).join('')}</ul>
${environmentBox(c)}
${notes}
${toc ? `<ul class="toc">${toc}</ul>` : '<p>No runs found.</p>'}
</header>
${data.history ? await trendSection(data.history) : ''}
${sections.join('\n')}
${excluded}
${data.runs.length ? await runsSection(data.runs, c) : ''}
<footer>
<p><b>How to read this.</b> Each run gives one value per metric. Shift is the Hodges-Lehmann estimate (median of all pairwise differences, candidate minus baseline) with its exact interval from the order statistics of those differences. Only <b>primary metrics</b> decide: each has a practical margin; it is <i>improved</i> or <i>regressed</i> when the shift lies beyond the margin (one-sided exact rank test, Holm-adjusted across the scenario's primaries, at α=${formatNumber(options.lookAlpha ?? options.alpha)}), <i>equivalent</i> when it lies within ±margin (two one-sided tests), <i>inconclusive</i> otherwise, with the reason and the change these runs could detect. A milestone a run did not reach within its window counts as censored at the window's end (Gehan's test). Informational metrics use a two-sided exact test with Benjamini-Hochberg's correction and never fail. SLOs are judged on each side's median run; a miss both sides share is an environment finding, a miss only the candidate has fails. Details: docs/compare.md.</p>
</footer>`;
  return htmlPage(title, body);
}
