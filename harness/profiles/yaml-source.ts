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
const aliasRe = /(?:^|[\s[{,:?-])\*[^\s[\]{},]+/gm;
const anchorRe = /(?:^|[\s[{,:?-])&[^\s[\]{},]+/gm;

export function parseYamlSource(
  file: string,
  text: string,
): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  let doc: ReturnType<typeof parseDocument>;
  // the parser resolves each alias by searching back through the document: 50000 aliases in a
  // 500 KiB file take minutes, before any expansion limit applies. Count them first (a "*" in a
  // quoted string may count too; a profile has no use for 100 of either).
  const aliases = text.match(aliasRe)?.length ?? 0;
  const anchors = text.match(anchorRe)?.length ?? 0;
  if (aliases > maxAliasCount || anchors > maxAliasCount) {
    doc = parseDocument('', { lineCounter: lines });
    return {
      source: { file, doc, lines },
      problems: [
        {
          file,
          path: '',
          message: `YAML: ${aliases > maxAliasCount ? `${aliases} aliases (*name)` : `${anchors} anchors (&name)`}, more than the ${maxAliasCount} a profile may use`,
          severity: 'error',
        },
      ],
    };
  }
  try {
    // uniqueKeys: false, checked below with a set: the parser's own check compares every key
    // with every other (a 64 KiB file of distinct keys took 7 s)
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    // the parser recurses per nesting level: thousands of nested [ or { overflow its stack
    doc = parseDocument('', { lineCounter: new LineCounter() });
    return { source: { file, doc, lines }, problems: [parserLimit(file, e)] };
  }
  const source = { file, doc, lines };
  const errors = new Set(doc.errors);
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
      severity: errors.has(e as never) ? 'error' : 'warning',
    } satisfies Problem;
  });
  const at = (node: unknown, message: string) => {
    const pos = lines.linePos((node as Node | null)?.range?.[0] ?? 0);
    problems.push({ file, line: pos.line, column: pos.col, path: '', message, severity: 'error' });
  };
  visit(doc, {
    Map(_, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        // a mapping or list as a key (`? [x]: 1`) has no place in a profile; toJS would warn
        if (pair.key !== null && !isScalar(pair.key)) {
          at(pair.key, 'YAML: keys must be plain words, not mappings or lists');
          continue;
        }
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const line = lines.linePos((pair.key as Node | null)?.range?.[0] ?? 0).line;
        const first = seen.get(key);
        if (first !== undefined)
          at(
            pair.key,
            `YAML: Map keys must be unique: "${key.slice(0, 60)}" also on line ${first}`,
          );
        else seen.set(key, line);
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
