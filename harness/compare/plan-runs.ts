import { createHash } from 'node:crypto';
import { ConfigError, type Problem } from '../errors.ts';
import { seededRandom } from './seeded-random.ts';

export interface PlanOptions {
  /** Profile names; the first is the baseline (side A), the others B, C, ... */
  profiles: readonly string[];
  scenarios: readonly string[];
  /** Runs per profile per scenario. */
  repeat: number;
  /** Add an A/A calibration: the baseline profile on two more sides, interleaved the same way. */
  calibrate?: boolean;
  /** Defaults to a hash of profiles and scenarios, so a resumed comparison finds its runs. */
  comparisonId?: string;
  /**
   * 'abba' (default) reverses the order of sides in every other block (A B, B A, A B, ...);
   * 'alternate' keeps it (A B, A B, ...); both make a scenario's blocks one after another.
   * 'randomised' (what `compare` uses) takes blocks round-robin across scenarios (block 1 of
   * each, then block 2 of each...) and orders each pair of blocks forward/reversed by a coin flip
   * from `seed`, the first pair alternating between scenarios (scenario 1 starts with A, scenario
   * 2 with the last side...).
   */
  order?: 'abba' | 'alternate' | 'randomised';
  /** Seed of the 'randomised' order, recorded in plan.json. */
  seed?: number;
}

export interface PlannedRun {
  /** Stable: the same plan gives the same ids, so a resumed plan recognises its runs. */
  runId: string;
  comparisonId: string;
  scenario: string;
  profile: string;
  side: string;
  /** 1-based. */
  repetition: number;
  /** Part of the A/A calibration. */
  calibration: boolean;
  /** 0-based position in the plan. */
  index: number;
}

export interface RunPlan {
  comparisonId: string;
  /** comparisonId of the calibration runs, when calibrating. */
  calibrationId?: string;
  runs: PlannedRun[];
}

const sideName = (i: number) => String.fromCharCode(65 + i);
const idPart = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * The ordered runs of a comparison. Per scenario, repetition r is a block with one run of every
 * side (the compared profiles, then the calibration pair). Blocks are interleaved rather than
 * running all of A then all of B, so slow changes of the host (thermal state, page cache, a
 * neighbour's load, image caches filling) hit both profiles alike.
 *
 * Why ABBA: with plain A B A B, B always runs right after A; a drift that grows over time, or a
 * carry-over from the previous run, then favours one side in every block. Reversing every other
 * block (A B | B A | A B | B A) gives each side the same average position over every two blocks,
 * which cancels a linear drift and first-order carry-over.
 */
export function planRuns(options: PlanOptions): RunPlan {
  const problems: Problem[] = [];
  const { profiles, scenarios, repeat } = options;
  if (profiles.length === 0)
    problems.push({ path: 'profiles', message: 'name at least one profile', severity: 'error' });
  if (new Set(profiles).size !== profiles.length) {
    problems.push({
      path: 'profiles',
      message: `profiles repeat: ${profiles.join(', ')}`,
      severity: 'error',
    });
  }
  if (profiles.length > 26)
    problems.push({ path: 'profiles', message: 'at most 26 profiles', severity: 'error' });
  if (scenarios.length === 0)
    problems.push({ path: 'scenarios', message: 'name at least one scenario', severity: 'error' });
  if (new Set(scenarios).size !== scenarios.length) {
    problems.push({
      path: 'scenarios',
      message: `scenarios repeat: ${scenarios.join(', ')}`,
      severity: 'error',
    });
  }
  if (!Number.isInteger(repeat) || repeat < 1) {
    problems.push({
      path: 'repeat',
      message: `must be a whole number >= 1, got ${repeat}`,
      severity: 'error',
    });
  }
  if (options.comparisonId !== undefined && idPart(options.comparisonId) === '') {
    problems.push({
      path: 'comparisonId',
      message: 'must contain a letter or digit',
      severity: 'error',
    });
  }
  if (problems.length > 0) throw new ConfigError('cannot plan the comparison', problems);

  const comparisonId =
    options.comparisonId !== undefined
      ? idPart(options.comparisonId)
      : `cmp-${createHash('sha256').update(JSON.stringify({ profiles, scenarios })).digest('hex').slice(0, 8)}`;
  const calibrationId = options.calibrate ? `${comparisonId}-aa` : undefined;
  const baseline = profiles[0]!;
  type Slot = { comparisonId: string; profile: string; side: string; calibration: boolean };
  const block: Slot[] = profiles.map((profile, i) => ({
    comparisonId,
    profile,
    side: sideName(i),
    calibration: false,
  }));
  if (calibrationId) {
    block.push(
      { comparisonId: calibrationId, profile: baseline, side: 'A', calibration: true },
      { comparisonId: calibrationId, profile: baseline, side: 'B', calibration: true },
    );
  }

  const runs: PlannedRun[] = [];
  const order = options.order ?? 'abba';
  const random = seededRandom(options.seed ?? 0);
  // one coin per scenario and pair of blocks, drawn in a fixed order so the seed fixes the plan
  const flips = scenarios.map((_, i) =>
    Array.from({ length: Math.ceil(repeat / 2) }, (_, pair) =>
      pair === 0 ? i % 2 === 1 : random() < 0.5,
    ),
  );
  const cells: { scenario: string; s: number; r: number }[] = [];
  if (order === 'randomised') {
    for (let r = 1; r <= repeat; r++)
      for (const [s, scenario] of scenarios.entries()) cells.push({ scenario, s, r });
  } else {
    for (const [s, scenario] of scenarios.entries())
      for (let r = 1; r <= repeat; r++) cells.push({ scenario, s, r });
  }
  for (const { scenario, s, r } of cells) {
    {
      const reversed =
        order === 'abba'
          ? r % 2 === 0
          : order === 'randomised'
            ? flips[s]![Math.floor((r - 1) / 2)]! !== (r % 2 === 0)
            : false;
      for (const slot of reversed ? [...block].reverse() : block) {
        runs.push({
          runId: [
            slot.comparisonId,
            idPart(scenario),
            `${slot.side.toLowerCase()}-${idPart(slot.profile)}`,
            `r${String(r).padStart(2, '0')}`,
          ].join('_'),
          comparisonId: slot.comparisonId,
          scenario,
          profile: slot.profile,
          side: slot.side,
          repetition: r,
          calibration: slot.calibration,
          index: runs.length,
        });
      }
    }
  }
  return { comparisonId, ...(calibrationId ? { calibrationId } : {}), runs };
}
