import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Unit } from '../results/schema.ts';
import type { GroupRef, PairComparison } from './comparison.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';

/**
 * The noise floor of an A/A calibration (the same profile on both sides, interleaved like a real
 * comparison): per scenario and metric, the largest shift the harness "finds" when nothing
 * changed. Later comparisons call no shift inside it a change. Written as `noise-floor.json`.
 */
export const noiseFloorSchemaVersion = 1;
export const noiseFloorFile = 'noise-floor.json';

export const NoiseFloorEntry = z.object({
  scenario: z.string(),
  preset: z.string().optional(),
  /** metricKey() of the metric. */
  metric: z.string(),
  unit: Unit,
  /** max(|A/A shift|, half-width of its confidence interval), in the metric's unit. */
  floor: z.number().nonnegative(),
  shift: z.number(),
  ciHalfWidth: z.number().nonnegative(),
  runsPerSide: z.number().int().nonnegative(),
});
export type NoiseFloorEntry = z.infer<typeof NoiseFloorEntry>;

export const NoiseFloor = z.object({
  schemaVersion: z.literal(noiseFloorSchemaVersion),
  createdAt: z.string(),
  /** The profile calibrated (both sides ran it). */
  profile: z.object({ name: z.string(), digest: z.string() }),
  confidence: z.number(),
  entries: z.array(NoiseFloorEntry),
});
export type NoiseFloor = z.infer<typeof NoiseFloor>;

/**
 * The noise floor of the calibration pairs among `pairs`. Why both terms: |shift| is the bias an
 * A/A shows (drift, order effects), the CI half-width the spread a real comparison with as many
 * runs cannot resolve; a shift smaller than either is indistinguishable from re-running A.
 */
export function noiseFloorFrom(
  pairs: readonly PairComparison[],
  createdAt: Date = new Date(),
): NoiseFloor | undefined {
  const calibrations = pairs.filter((p) => p.calibration);
  const first = calibrations[0];
  if (!first) return undefined;
  const entries: NoiseFloorEntry[] = [];
  for (const pair of calibrations) {
    for (const m of pair.metrics) {
      if (!m.shift) continue;
      const ciHalfWidth = (m.shift.ci.high - m.shift.ci.low) / 2;
      entries.push({
        scenario: pair.scenario,
        ...(pair.preset === undefined ? {} : { preset: pair.preset }),
        metric: m.key,
        unit: m.unit,
        floor: Math.max(Math.abs(m.shift.estimate), ciHalfWidth),
        shift: m.shift.estimate,
        ciHalfWidth,
        runsPerSide: Math.min(m.baseline.n, m.candidate.n),
      });
    }
  }
  return {
    schemaVersion: noiseFloorSchemaVersion,
    createdAt: createdAt.toISOString(),
    profile: first.baseline.profile,
    confidence: first.metrics.find((m) => m.shift)?.shift?.ci.confidence ?? 0.95,
    entries,
  };
}

/** The floor for one metric of one scenario, if calibrated in the same unit. */
export function findNoiseFloor(
  floor: NoiseFloor | undefined,
  group: Pick<GroupRef, 'scenario' | 'preset'>,
  metric: string,
  unit: Unit,
): number | undefined {
  const entry = floor?.entries.find(
    (e) =>
      e.scenario === group.scenario &&
      e.preset === group.preset &&
      e.metric === metric &&
      e.unit === unit,
  );
  return entry?.floor;
}

export function readNoiseFloor(path: string): NoiseFloor {
  return readJsonFile(path, NoiseFloor, 'noise floor');
}

/** noise-floor.json in a results directory, if there is one. */
export function readNoiseFloorIn(resultsDir: string): NoiseFloor | undefined {
  const path = join(resultsDir, noiseFloorFile);
  return existsSync(path) ? readNoiseFloor(path) : undefined;
}

export function writeNoiseFloor(path: string, floor: NoiseFloor): string {
  writeJsonFile(path, NoiseFloor.parse(floor));
  return path;
}
