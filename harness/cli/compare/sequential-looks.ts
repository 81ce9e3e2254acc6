import { lookAlpha, spentAlpha } from '../../compare/alpha-spending.ts';
import type { Comparison, SequentialState } from '../../compare/comparison.ts';
import type { PlannedRun } from '../../compare/plan-runs.ts';
import type { ExecutedRun, ExecutePlanResult } from './execute-plan.ts';

export interface SequentialOptions {
  /** The runs still to make, in plan order (whole blocks). */
  pending: readonly PlannedRun[];
  minBlocks: number;
  maxBlocks: number;
  alpha: number;
  /** Makes the given runs (one block of every scenario). */
  execute(runs: readonly PlannedRun[]): Promise<ExecutePlanResult>;
  /** Computes the comparison as it stands, at this look's alpha. */
  look(state: SequentialState, lookAlpha: number): Comparison;
  log?(line: string): void;
}

export interface SequentialResult {
  executed: ExecutedRun[];
  stopped: boolean;
  state?: SequentialState;
  lookAlpha?: number;
}

/** Every primary of every compared pair is improved, regressed or equivalent. */
export function allDecided(comparison: Comparison): boolean {
  const primaries = comparison.pairs
    .filter((p) => !p.calibration)
    .flatMap((p) => p.metrics.filter((m) => m.role === 'primary'));
  return (
    primaries.length > 0 &&
    primaries.every((m) => ['improved', 'regressed', 'equivalent'].includes(m.verdict))
  );
}

/**
 * `--repeat auto`: makes the plan block by block (block r of every scenario), and from
 * minBlocks on looks at the comparison after each block at the alpha the spending plan releases
 * for that look (alpha-spending.ts). Stops at the first look where every primary is decided, or
 * after maxBlocks.
 */
export async function runSequential(options: SequentialOptions): Promise<SequentialResult> {
  const executed: ExecutedRun[] = [];
  let state: SequentialState | undefined;
  let alphaNow: number | undefined;
  for (let block = 1; block <= options.maxBlocks; block++) {
    const runs = options.pending.filter((r) => r.repetition === block);
    if (runs.length) {
      const result = await options.execute(runs);
      executed.push(...result.executed);
      if (result.stopped) return { executed, stopped: true, ...(state ? { state } : {}) };
    }
    if (block < options.minBlocks) continue;
    alphaNow = lookAlpha(options.alpha, block, options);
    const last = block === options.maxBlocks;
    const look: SequentialState = {
      look: block - options.minBlocks + 1,
      blocks: block,
      minBlocks: options.minBlocks,
      maxBlocks: options.maxBlocks,
      spent: spentAlpha(options.alpha, block, options.maxBlocks),
      stopped: last ? 'max-blocks' : 'continuing',
    };
    const comparison = options.look(look, alphaNow);
    const decided = allDecided(comparison);
    state = decided ? { ...look, stopped: 'decided' } : look;
    options.log?.(
      `Look ${look.look} after ${block} blocks (α this look ${alphaNow.toPrecision(2)}, spent ${look.spent.toPrecision(2)} of ${options.alpha}): ${comparison.outcome.headline}${decided ? ' — every primary decided, stopping' : last ? ' — maximum reached' : ''}`,
    );
    if (decided || last) break;
  }
  return {
    executed,
    stopped: false,
    ...(state ? { state } : {}),
    ...(alphaNow === undefined ? {} : { lookAlpha: alphaNow }),
  };
}
