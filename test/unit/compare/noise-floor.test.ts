import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { compareRuns } from '../../../harness/compare/compare-runs.ts';
import {
  findNoiseFloor,
  NoiseFloor,
  noiseFloorFrom,
  readNoiseFloor,
  writeNoiseFloor,
} from '../../../harness/compare/noise-floor.ts';
import { ConfigError } from '../../../harness/errors.ts';
import { sidesOf } from './fake-runs.ts';

// A/A: the same profile twice, spread about ±6 ms.
const aa = sidesOf([100, 106, 95, 103, 98, 101], [97, 104, 108, 99, 94, 102], {
  profiles: ['default', 'default'],
  comparisonId: 'cmp-aa',
});
// A/B: B is 4 ms slower in every run, a shift that is significant on its own (p = 2/924).
const abA = [100, 100.5, 101, 101.5, 102, 102.5];
const ab = sidesOf(
  abA,
  abA.map((x) => x + 4),
  { comparisonId: 'cmp' },
);

test('an A/A pair is a calibration: its metrics give the floor', (t) => {
  const c = compareRuns(aa);
  t.true(c.pairs[0]!.calibration);
  const floor = noiseFloorFrom(c.pairs, new Date('2025-01-01T00:00:00Z'))!;
  t.notThrows(() => NoiseFloor.parse(floor));
  const entry = floor.entries[0]!;
  t.is(entry.metric, 'api.latency.p99{verb=GET}');
  t.is(entry.floor, Math.max(Math.abs(entry.shift), entry.ciHalfWidth));
  t.is(entry.runsPerSide, 6);
});

test('a calibration never counts toward the outcome', (t) => {
  const c = compareRuns(aa);
  t.is(c.outcome.verdict, undefined);
  t.is(c.outcome.counts.regressed, 0);
});

test('a significant 4 ms shift inside the 10% margin is equivalent, not a regression', (t) => {
  const m = compareRuns(ab).pairs[0]!.metrics[0]!;
  t.true(m.test!.pValue < 0.05);
  t.is(m.verdict, 'equivalent');
  t.regex(m.reason, /within the margin ±10\.1 ms/);
});

test('a calibration among the runs gives the floor shown beside the metric; margins decide', (t) => {
  const c = compareRuns([...aa, ...ab]);
  t.is(c.noiseFloor.source, 'calibration');
  const real = c.pairs.find((p) => !p.calibration)!;
  const m = real.metrics[0]!;
  t.is(typeof m.noiseFloor, 'number');
  t.is(m.shift?.estimate, 4);
  t.true(m.test!.pValue < 0.05);
  t.is(m.verdict, 'equivalent');
  t.is(c.outcome.status, 'pass');
});

test('a noise floor file from an earlier calibration applies the same way', (t) => {
  const floor = noiseFloorFrom(compareRuns(aa).pairs)!;
  const dir = mkdtempSync(join(tmpdir(), 'tp-floor-'));
  const path = writeNoiseFloor(join(dir, 'noise-floor.json'), floor);
  const read = readNoiseFloor(path);
  t.deepEqual(read, floor);
  const c = compareRuns(ab, { noiseFloor: read, noiseFloorPath: path });
  t.deepEqual(c.noiseFloor, { source: 'file', path });
  t.is(typeof c.pairs[0]!.metrics[0]!.noiseFloor, 'number');
  t.is(c.pairs[0]!.metrics[0]!.verdict, 'equivalent');
});

test('lookup matches scenario, preset, metric and unit', (t) => {
  const floor = noiseFloorFrom(compareRuns(aa).pairs)!;
  const g = { scenario: 'apiserver-load' };
  t.is(typeof findNoiseFloor(floor, g, 'api.latency.p99{verb=GET}', 'ms'), 'number');
  t.is(findNoiseFloor(floor, g, 'api.latency.p99{verb=GET}', 's'), undefined);
  t.is(findNoiseFloor(floor, { scenario: 'other' }, 'api.latency.p99{verb=GET}', 'ms'), undefined);
  t.is(
    findNoiseFloor(floor, { ...g, preset: 'full' }, 'api.latency.p99{verb=GET}', 'ms'),
    undefined,
  );
  t.is(findNoiseFloor(undefined, g, 'x', 'ms'), undefined);
});

test('a noise floor of another schema version is refused with the field path', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-floor-'));
  const path = join(dir, 'noise-floor.json');
  const floor = noiseFloorFrom(compareRuns(aa).pairs)!;
  writeFileSync(path, JSON.stringify({ ...floor, schemaVersion: 99 }));
  const e = t.throws(() => readNoiseFloor(path), { instanceOf: ConfigError });
  t.is(e?.problems[0]?.path, 'schemaVersion');
  t.true(readFileSync(path, 'utf8').length > 0);
});

test('no calibration pairs: no floor', (t) => {
  t.is(noiseFloorFrom(compareRuns(ab).pairs), undefined);
});
