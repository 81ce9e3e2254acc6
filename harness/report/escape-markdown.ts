import { redact } from '../util/redact.ts';

/**
 * Text from data for a Markdown table cell: redacted, on one line, with every character that
 * could start markup (a link, HTML, emphasis) or end the cell (|) backslash-escaped, which
 * CommonMark and GitHub accept for any ASCII punctuation.
 */
export function escapeMarkdown(value: unknown): string {
  return redact(String(value))
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_{}[\]<>()#+!|~&]/g, '\\$&');
}
