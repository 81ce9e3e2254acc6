import { basename, resolve } from 'node:path';
import { formatNumber } from '../compare/format-number.ts';
import { groupLabel } from '../compare/group-runs.ts';
import { escapeHtml as e } from './escape-html.ts';
import { groupSection } from './group-section.ts';
import { groupAnchor, groupViews } from './group-view.ts';
import { htmlPage } from './html-page.ts';
import type { ReportData } from './report-data.ts';
import { runsSection } from './runs-section.ts';
import { verdictBadge } from './verdict-table.ts';

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
    ['α', String(options.alpha)],
    [
      'CI',
      `${Math.round(options.confidence * 100)}%, ${options.resamples} bootstrap resamples, seed ${options.seed}`,
    ],
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
${notes}
${toc ? `<ul class="toc">${toc}</ul>` : '<p>No runs found.</p>'}
</header>
${sections.join('\n')}
${excluded}
${data.runs.length ? await runsSection(data.runs, c) : ''}
<footer>
<p><b>How to read this.</b> Each run gives one value per metric. Shift is the Hodges-Lehmann estimate (median of all pairwise differences, candidate minus baseline) with a ${Math.round(options.confidence * 100)}% percentile-bootstrap interval; p is a two-sided Mann-Whitney U test (exact without ties for small samples, else normal approximation with tie and continuity corrections). A metric is called improved or regressed only when p &lt; ${formatNumber(options.alpha)}, the interval excludes 0 and the shift lies outside the A/A noise floor. Too few runs to ever reach significance is reported as invalid, not as "no change". SLOs are judged on each side's median run; a baseline's miss is reported, a candidate's fails.</p>
</footer>`;
  return htmlPage(title, body);
}
