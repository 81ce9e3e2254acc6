/**
 * The data flows profile -> cluster -> scenario -> result -> comparison -> report, and no module
 * imports from a stage after its own (type-only imports included): an earlier stage's records
 * live with it and later stages combine them (docs/extending.md). The import graph comes from
 * the compiler itself (`tsc --explainFiles`: every file with every import that pulled it in,
 * type-only and dynamic ones too), so nothing here parses TypeScript by hand.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import test from 'ava';

const root = join(import.meta.dirname, '../../..');

/** Stages in data-flow order; a file belongs to the first stage one of whose prefixes it has. */
const stages: [name: string, prefixes: string[]][] = [
  ['base', ['harness/errors.ts', 'harness/util/']],
  ['profile', ['harness/profiles/']],
  ['cluster', ['clusters/']],
  [
    'scenario',
    [
      'harness/scenario/',
      'harness/faults/',
      'harness/measure/',
      'harness/load/',
      'scenarios/',
      // benches measure clusters as scenarios do
      'harness/bench/',
    ],
  ],
  ['result', ['harness/results/', 'harness/runner/']],
  ['comparison', ['harness/compare/', 'harness/history/']],
  ['report', ['harness/report/']],
  // the command line wires every stage together
  ['cli', ['harness/cli/']],
];

function stageOf(file: string): number | undefined {
  const i = stages.findIndex(([, prefixes]) => prefixes.some((p) => file.startsWith(p)));
  return i < 0 ? undefined : i;
}

/** Import edges [importer, imported] among the project's files, as the compiler resolved them. */
function importEdges(project: string): [string, string][] {
  const out = execFileSync(
    join(root, 'node_modules/.bin/tsc'),
    ['-p', project, '--noEmit', '--explainFiles'],
    { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const edges: [string, string][] = [];
  let current: string | undefined;
  for (const line of out.split('\n')) {
    if (line && !line.startsWith(' ')) current = line.trim();
    const m = /^\s+Imported via .* from file '([^']+)'/.exec(line);
    if (m && current && !current.includes('node_modules')) edges.push([m[1]!, current]);
  }
  return edges;
}

test('no import from a later stage of the data flow into an earlier one', (t) => {
  const all = [
    ...importEdges('tsconfig.json'),
    ...importEdges('scenarios/tsconfig.k6.json').map(
      ([from, to]) => [`scenarios/${from}`, `scenarios/${to}`] as [string, string],
    ),
  ];
  // every source file has a stage: a new folder is placed in the table above, not skipped
  const roots = ['harness/', 'clusters/', 'scenarios/'];
  const unplaced = [...new Set(all.flat())].filter(
    (f) => roots.some((r) => f.startsWith(r)) && stageOf(f) === undefined,
  );
  t.deepEqual(unplaced, [], 'files in no stage');
  const edges = all.filter(([from]) => stageOf(from) !== undefined);
  // the graph is real: a known type-only import is in it
  t.true(edges.length > 300, `${edges.length} import edges`);
  t.true(
    edges.some(
      ([from, to]) => from === 'clusters/kind/provider.ts' && to === 'clusters/provider.ts',
    ),
  );
  const backEdges = edges
    .filter(([from, to]) => {
      const a = stageOf(from)!;
      const b = stageOf(to);
      return b !== undefined && (b > a || (a === 0 && b !== 0));
    })
    .map(
      ([from, to]) =>
        `${from} (${stages[stageOf(from)!]![0]}) imports ${to} (${stages[stageOf(to)!]![0]})`,
    );
  t.deepEqual(backEdges, []);
});
