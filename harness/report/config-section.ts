import { configDiff } from './config-diff.ts';
import { escapeHtml as e } from './escape-html.ts';
import type { GroupView } from './group-view.ts';

/** The effective-config table of a group: what differs between its sides, or did not take. */
export function configSection(g: GroupView): string {
  const rows = configDiff(g.sides.map((s) => s.runs.flatMap((r) => r.run.effectiveConfig)));
  const total = new Set(
    g.sides.flatMap((s) =>
      s.runs.flatMap((r) =>
        r.run.effectiveConfig.map((c) => `${c.component}/${c.key}/${c.node ?? ''}`),
      ),
    ),
  ).size;
  if (total === 0)
    return '<h3>Effective configuration</h3><p class="muted">No effective-config record in these runs.</p>';
  const head = g.sides.map((s) => `<th>${e(s.label)}: desired</th><th>observed</th>`).join('');
  const body = rows.map((row) => {
    const cells = row.sides
      .map((v) => {
        if (!v) return '<td colspan="2" class="muted">not recorded</td>';
        const status = v.statuses
          .map(
            (st) =>
              `<span class="${st === 'differs' || st === 'not-applicable' ? 'slo-miss' : st === 'applied' ? 'slo-pass' : 'slo-info'}">${e(st)}</span>`,
          )
          .join(', ');
        return `<td><code>${e(v.desired.join(' | '))}</code></td><td><code>${e(v.observed.join(' | '))}</code><span class="reason">${status}${v.notes.length ? ` — ${e(v.notes.join('; '))}` : ''}</span></td>`;
      })
      .join('');
    return `<tr class="${row.attention ? 'attention' : ''}"><td><code>${e(row.component)}</code></td><td><code>${e(row.key)}</code></td><td>${e(row.scope)}${row.node ? `<span class="reason">${e(row.node)}</span>` : ''}</td>${cells}</tr>`;
  });
  const what =
    g.sides.length > 1
      ? 'Knobs whose desired or observed value differs between the sides, and knobs that did not take (differs) or cannot (not-applicable), highlighted.'
      : 'Knobs that did not take (differs) or cannot (not-applicable) on this host.';
  return `<h3>Effective configuration</h3><p class="muted">${what} ${total - rows.length} of ${total} knobs are equal and applied everywhere and are not shown.</p>${
    rows.length
      ? `<table class="config"><thead><tr><th>Component</th><th>Key</th><th>Scope</th>${head}</tr></thead><tbody>${body.join('\n')}</tbody></table>`
      : ''
  }`;
}
