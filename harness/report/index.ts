export { type ConfigDiffRow, configDiff } from './config-diff.ts';
export { escapeHtml } from './escape-html.ts';
export { escapeMarkdown } from './escape-markdown.ts';
export { renderHtml } from './render-html.ts';
export { renderJunit } from './render-junit.ts';
export { renderMarkdown } from './render-markdown.ts';
export {
  loadReportData,
  type ReportData,
  type ReportOptions,
  type ReportRun,
} from './report-data.ts';
export { type TimelineWindow, timelineWindows } from './timeline-windows.ts';
export { type ReportResult, reportFiles, writeReport } from './write-report.ts';
