import { escape as escapeEntities } from 'html-escaper';
import { redact } from '../util/redact.ts';

/**
 * Text from data (profile names, metric labels, errors, config values) for HTML: redacted, then
 * escaped (& < > " '), so neither a credential nor markup from a run can reach the page.
 */
export function escapeHtml(value: unknown): string {
  return escapeEntities(redact(String(value)));
}
