import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { escapeHtml } from '../../../harness/report/escape-html.ts';
import { escapeMarkdown } from '../../../harness/report/escape-markdown.ts';
import { writeReport } from '../../../harness/report/write-report.ts';
import { hostileText, writeFixtureRuns } from './fixture-runs.ts';

/** Tag and attribute names in a page whose attribute values are all double-quoted. */
function markupOf(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>();
  const attributes = new Set<string>();
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)([^<>]*)>/g)) {
    tags.add(m[1]!.toLowerCase());
    const rest = m[2]!.replace(/"[^"]*"/g, '""');
    for (const a of rest.matchAll(/([^\s=/"]+)(?:=|\s|$)/g)) attributes.add(a[1]!.toLowerCase());
  }
  return { tags, attributes };
}

test('escapeHtml escapes the five characters', (t) => {
  t.is(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
  t.is(escapeHtml(42), '42');
});

test('escapeHtml redacts credentials before escaping', (t) => {
  const out = escapeHtml('Authorization: Bearer abcdef123456.secret');
  t.false(out.includes('abcdef123456'));
  t.regex(out, /Bearer &lt;redacted&gt;/);
  t.false(escapeHtml('join --token abcdef.0123456789abcdef').includes('0123456789abcdef'));
});

test('escapeMarkdown keeps a cell one cell and markup inert', (t) => {
  t.is(escapeMarkdown('a|b'), 'a\\|b');
  t.is(escapeMarkdown('line\nbreak'), 'line break');
  t.is(escapeMarkdown('[x](http://e)'), '\\[x\\]\\(http://e\\)');
  t.is(escapeMarkdown('<img src=x>'), '\\<img src=x\\>');
  t.is(escapeMarkdown('m{verb=GET}'), 'm\\{verb=GET\\}');
});

test('markup in run data never reaches the page as markup', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-escape-'));
  writeFixtureRuns(dir, { hostile: true, samples: false, repeat: 4 });
  const { files } = await writeReport(dir);
  const html = readFileSync(files.html, 'utf8');
  t.false(html.includes(hostileText));
  t.notRegex(html, /<script/i);
  t.notRegex(html, /<img/i);
  const { tags, attributes } = markupOf(html);
  t.false(tags.has('script') || tags.has('img') || tags.has('iframe'));
  t.deepEqual(
    [...attributes].filter((a) => a.startsWith('on')),
    [],
  );
  // it is shown, as text, in the tables and inside the SVG charts
  t.regex(html, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
  const md = readFileSync(files.markdown, 'utf8');
  t.notRegex(md, /(?<!\\)<(?:img|script)/);
  t.regex(md, /\\<img src=x onerror="alert\\\(1\\\)"\\>/);
});
