import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Comparison } from '../compare/comparison.ts';
import type { ExitCode } from '../errors.ts';
import { redact } from '../util/redact.ts';
import { renderHtml } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-markdown.ts';
import { loadReportData, type ReportData, type ReportOptions } from './report-data.ts';

export const reportFiles = {
  html: 'report.html',
  markdown: 'summary.md',
  junit: 'junit.xml',
} as const;

export interface ReportResult {
  /** Absolute or as-given paths of the files written. */
  files: { html: string; markdown: string; junit: string };
  comparison: Comparison;
  /** What the CLI should exit with: the comparison's outcome. */
  exitCode: ExitCode;
  /** Run directories that could not be read (left out of the report), for the terminal too. */
  unreadable: ReportData['unreadable'];
}

/**
 * Writes report.html, summary.md and junit.xml into `resultsDir` from the runs below it (and
 * its comparison.json / noise-floor.json when present). Everything written is redacted.
 */
export async function writeReport(
  resultsDir: string,
  options: ReportOptions = {},
): Promise<ReportResult> {
  const data = loadReportData(resultsDir, options);
  const files = {
    html: join(resultsDir, reportFiles.html),
    markdown: join(resultsDir, reportFiles.markdown),
    junit: join(resultsDir, reportFiles.junit),
  };
  const html = await renderHtml(data);
  writeFileSync(files.html, redact(html));
  writeFileSync(files.markdown, redact(renderMarkdown(data)));
  writeFileSync(files.junit, redact(renderJunit(data)));
  return {
    files,
    comparison: data.comparison,
    exitCode: data.comparison.outcome.exitCode as ExitCode,
    unreadable: data.unreadable,
  };
}
