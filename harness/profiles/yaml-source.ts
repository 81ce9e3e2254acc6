import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { Problem } from '../errors.ts';

/** A YAML file parsed with positions, so problems can name file, line and column. */
export interface YamlSource {
  file: string;
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

export function parseYamlSource(
  file: string,
  text: string,
): { source: YamlSource; problems: Problem[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source = { file, doc, lines };
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return {
      file,
      line: pos.line,
      column: pos.col,
      path: '',
      message: `YAML: ${e.message.split('\n')[0]}`,
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
    } satisfies Problem;
  });
  return { source, problems };
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
