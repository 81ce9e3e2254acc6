import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, visit } from 'yaml';
import type { Problem } from '../errors.ts';

/** A YAML file parsed with positions, so problems can name file, line and column. */
export interface YamlSource {
  file: string;
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

/**
 * Alias expansions allowed in one file. Profiles have little use for anchors; a "billion laughs"
 * file expands a handful of aliases into gigabytes, so the expansion is capped and reported.
 */
export const maxAliasCount = 100;

export function parseYamlSource(
  file: string,
  text: string,
): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  } catch (e) {
    // the parser recurses per nesting level: thousands of nested [ or { overflow its stack
    doc = parseDocument('', { lineCounter: new LineCounter() });
    return { source: { file, doc, lines }, problems: [parserLimit(file, e)] };
  }
  const source = { file, doc, lines };
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: /call stack/i.test(e.message)
        ? 'YAML: nested too deeply to read'
        : `YAML: ${e.message.split('\n')[0]}`,
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
    } satisfies Problem;
  });
  // a mapping or list as a key (`? [x]: 1`) has no place in a profile; toJS would only warn
  visit(doc, {
    Pair(_, pair) {
      if (pair.key !== null && !isScalar(pair.key)) {
        const pos = lines.linePos((pair.key as Node).range?.[0] ?? 0);
        problems.push({
          file,
          line: pos.line,
          column: pos.col,
          path: '',
          message: 'YAML: keys must be plain words, not mappings or lists',
          severity: 'error',
        });
      }
    },
  });
  if (!problems.some((p) => p.severity === 'error')) {
    try {
      doc.toJS({ maxAliasCount });
    } catch (e) {
      problems.push(parserLimit(file, e));
    }
  }
  return { source, problems };
}

function parserLimit(file: string, e: unknown): Problem {
  const message =
    e instanceof ReferenceError && /alias/i.test(e.message)
      ? `YAML: aliases expand too far (more than ${maxAliasCount} expansions, as in a "billion laughs" file)`
      : e instanceof RangeError
        ? 'YAML: nested too deeply to read'
        : `YAML: cannot read: ${e instanceof Error ? e.message : String(e)}`;
  return { file, path: '', message, severity: 'error' };
}

/** Line/column where `node` starts. */
export function position(
  source: YamlSource,
  node: Node | null | undefined,
): { line?: number; column?: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const pos = source.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/** The node at a path of keys/indices, or the deepest ancestor that exists (for locating problems). */
export function nodeAt(source: YamlSource, path: readonly (string | number)[]): Node | undefined {
  let node: unknown = source.doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(key));
      if (!pair) return node as Node;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key];
      if (!item) return node as Node;
      node = item;
    } else break;
  }
  return node as Node | undefined;
}

/** Where the key of the pair at `path` stands (its line is what a user looks for). */
export function keyNodeAt(source: YamlSource, path: readonly string[]): Node | undefined {
  const parent = nodeAt(source, path.slice(0, -1));
  if (!isMap(parent)) return parent;
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === path.at(-1));
  return (pair?.key as Node | undefined) ?? parent;
}
