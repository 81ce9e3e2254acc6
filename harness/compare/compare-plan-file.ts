import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { presetNames } from '../scenario/types.ts';
import { SequentialState } from './comparison.ts';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { Margin } from './primary-metric.ts';

/**
 * What `tuneproof compare` was asked, as stored in `plan.json` at the top of a comparison's
 * results directory: `--resume` reads it back, so a resumed comparison plans the same runs with
 * the same ids, parameters and profiles.
 */
export const planFileName = 'plan.json';
export const planFileSchemaVersion = 1;

export const CompareRequest = z.object({
  /** Profiles as given on the command line; the first is the baseline (side A). */
  profiles: z.array(z.string()).min(1),
  /** The file each profile resolved to (absolute), so a resume from elsewhere finds it. */
  profileFiles: z.array(z.string()).min(1),
  scenarios: z.array(z.string()).min(1),
  repeat: z.number().int().min(1),
  preset: z.enum(presetNames),
  calibrate: z.boolean(),
  /** `--set key=value` as given. */
  set: z.array(z.string()),
  /** Absolute path of an earlier results directory supplying the baseline's runs. */
  baseline: z.string().optional(),
  /** Absolute path of a noise-floor.json to apply. */
  noiseFloor: z.string().optional(),
  /**
   * --repeat auto: blocks are added until every primary metric is decided or maxBlocks is
   * reached (`repeat` is then maxBlocks, the plan's length).
   */
  auto: z
    .object({ minBlocks: z.number().int().min(1), maxBlocks: z.number().int().min(1) })
    .optional(),
  /** Seed of the randomised block order (recorded so the plan can be re-made). */
  seed: z.number().int().optional(),
  /** --margin metric=value: margins replacing the scenarios' for this comparison. */
  margins: z.record(z.string(), Margin).default({}),
  /** --strict-slo: an SLO both sides miss fails the comparison too. */
  strictSlo: z.boolean().default(false),
});
export type CompareRequest = z.infer<typeof CompareRequest>;

export const ComparePlanFile = z.object({
  schemaVersion: z.literal(planFileSchemaVersion),
  comparisonId: z.string(),
  createdAt: z.string(),
  toolVersion: z.string(),
  request: CompareRequest,
  /** Each profile as it was when the comparison started: a resume refuses changed digests. */
  profiles: z.array(z.object({ name: z.string(), digest: z.string(), file: z.string() })),
  /** --repeat auto: where the sequential procedure stands (rewritten after every look). */
  sequential: SequentialState.optional(),
  /** Facts found while planning that the report should carry (baseline runs skipped...). */
  notes: z.array(z.string()).default([]),
  /** The runs to make, in order (for people reading the directory; resume re-plans them). */
  runs: z.array(
    z.object({
      runId: z.string(),
      scenario: z.string(),
      profile: z.string(),
      side: z.string(),
      repetition: z.number().int(),
      calibration: z.boolean(),
      /** Not run here: the baseline's runs come from `request.baseline`. */
      fromBaseline: z.boolean().default(false),
    }),
  ),
});
export type ComparePlanFile = z.infer<typeof ComparePlanFile>;

export function hasPlanFile(resultsDir: string): boolean {
  return existsSync(join(resultsDir, planFileName));
}

export function readPlanFile(resultsDir: string): ComparePlanFile {
  return readJsonFile(join(resultsDir, planFileName), ComparePlanFile, 'comparison plan');
}

export function writePlanFile(resultsDir: string, plan: ComparePlanFile): string {
  const path = join(resultsDir, planFileName);
  writeJsonFile(path, ComparePlanFile.parse(plan));
  return path;
}
