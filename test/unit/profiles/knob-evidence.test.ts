import { readFileSync } from 'node:fs';
import test from 'ava';
import { catalogue, knobId } from '../../../harness/profiles/index.ts';
import { knobEvidence, onRealHost } from '../../../harness/profiles/knob-evidence.ts';

const root = new URL('../../../', import.meta.url);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

for (const e of knobEvidence) {
  test(`evidence "${e.test.title}" names a real, unskipped test`, (t) => {
    const source = readFileSync(new URL(e.test.file, root), 'utf8');
    t.true(source.includes(e.test.title), `${e.test.file} has no test titled "${e.test.title}"`);
    // the title is the first argument of a test call that is not skipped
    const call = new RegExp(`(\\w+(?:\\.\\w+)*)\\(\\s*['"\`]${escapeRegExp(e.test.title)}`);
    const m = call.exec(source);
    t.truthy(m, 'the title is the first argument of a test call');
    t.false(/\.(skip|todo)$/.test(m?.[1] ?? ''), `${m?.[1]}: a skipped test shows nothing`);
  });

  test(`evidence "${e.test.title}" names catalogue knobs that list its scenario`, (t) => {
    for (const id of e.knobs) {
      const knob = catalogue.find((k) => knobId(k) === id);
      t.truthy(knob, `${id} is not in the catalogue`);
      t.true(knob?.scenarios.includes(e.scenario), `${id} does not list ${e.scenario}`);
    }
  });
}

test('every host-global knob says what would show it on a real host, and only those', (t) => {
  const hostGlobal = catalogue.filter((k) => k.scope === 'host-global').map(knobId);
  t.deepEqual(Object.keys(onRealHost).sort(), [...hostGlobal].sort());
});
