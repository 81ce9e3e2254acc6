/** Width used when stdout is not a terminal (CI logs, pipes): what a review tool shows unwrapped. */
export const defaultTableWidth = 100;

/** The width tables must fit: the terminal's, else 100 columns. */
export function terminalWidth(): number {
  const cols = process.stdout.isTTY ? process.stdout.columns : undefined;
  return cols && cols >= 40 ? cols : defaultTableWidth;
}

const gap = 2;

/** How a column gives way when a table is too wide: lower `shrink` first, never below `min`. */
export interface ColumnFit {
  min?: number;
  shrink?: number;
}

/**
 * Plain aligned columns for terminal output (no colours: output is often a CI log). Columns
 * that would not fit `maxWidth` are narrowed (in `fit` order, else widest first) and their
 * cells wrapped onto more lines at spaces, commas, dots and dashes, so no line is wider than
 * `maxWidth`; `-o json|yaml` shows values whole. (markdown-table and the like pad every column
 * to its longest value; none wraps to a width, hence this.)
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: { maxWidth?: number; fit?: readonly ColumnFit[] } = {},
): string {
  const maxWidth = options.maxWidth ?? terminalWidth();
  const cells = (r: readonly string[]) => header.map((_, i) => oneLine(r[i] ?? ''));
  const all = [header.map(oneLine), ...rows.map(cells)];
  const natural = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const widths = fitWidths(natural, options.fit ?? [], maxWidth - gap * (header.length - 1));
  const line = (parts: readonly string[]) =>
    parts
      .map((c, i) => (i === parts.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join(' '.repeat(gap))
      .trimEnd();
  const block = (r: readonly string[]) => {
    const wrapped = r.map((c, i) => wrap(c, widths[i]!));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, k) => line(wrapped.map((w) => w[k] ?? '')));
  };
  return [
    ...block(all[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...all.slice(1).flatMap(block),
  ].join('\n');
}

/** Narrows columns until their sum fits `budget`: by `fit` order to `min`, then widest first. */
function fitWidths(natural: number[], fit: readonly ColumnFit[], budget: number): number[] {
  const widths = [...natural];
  let excess = widths.reduce((a, b) => a + b, 0) - budget;
  const order = natural
    .map((_, i) => i)
    .filter((i) => fit[i]?.shrink !== undefined)
    .sort((a, b) => fit[a]!.shrink! - fit[b]!.shrink!);
  for (const i of order) {
    if (excess <= 0) break;
    const cut = Math.min(excess, Math.max(0, widths[i]! - (fit[i]!.min ?? 6)));
    widths[i]! -= cut;
    excess -= cut;
  }
  // then the widest column loses a character at a time (so wide columns meet at one width)
  while (excess > 0) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= 4) break;
    widths[widest]! -= 1;
    excess -= 1;
  }
  return widths;
}

/** Words of a cell onto lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  // break after spaces, commas, dots, dashes and slashes; cut words longer than a line
  const words = text.match(/[^\s,.\-/]*[,.\-/]?\s*/g)?.filter((w) => w) ?? [text];
  const lines: string[] = [];
  let current = '';
  for (let word of words) {
    while (word.trimEnd().length > width) {
      if (current) {
        lines.push(current.trimEnd());
        current = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if ((current + word).trimEnd().length > width) {
      lines.push(current.trimEnd());
      current = word;
    } else current += word;
  }
  if (current.trimEnd()) lines.push(current.trimEnd());
  return lines.length ? lines : [''];
}

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ');

export const show = (v: unknown): string =>
  v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
