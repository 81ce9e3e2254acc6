import { isDeepStrictEqual } from 'node:util';
import type { EffectiveConfigEntry } from '../../../harness/profiles/index.ts';

const id = (e: EffectiveConfigEntry) => `${e.component}.${e.key}${e.node ? `@${e.node}` : ''}`;

/**
 * The desired entries a restore reads back: the snapshot's own list (the same knobs, nodes and
 * scopes a fresh bring-up's desiredConfig gave), with what was observed then left out.
 */
export function desiredFromSnapshot(
  recorded: readonly EffectiveConfigEntry[],
): EffectiveConfigEntry[] {
  return recorded.map(({ observed: _o, inPods: _p, note, ...e }) =>
    e.status === 'not-applicable'
      ? { ...e, ...(note === undefined ? {} : { note }) }
      : { ...e, status: 'unverified' as const },
  );
}

/**
 * Every difference between the snapshot's read-back and a restored cluster's: a knob missing
 * on one side, a different observed value, or a different status. Empty means identical.
 */
export function compareEffectiveConfig(
  snapshot: readonly EffectiveConfigEntry[],
  restored: readonly EffectiveConfigEntry[],
): string[] {
  const problems: string[] = [];
  const after = new Map(restored.map((e) => [id(e), e]));
  for (const before of snapshot) {
    const now = after.get(id(before));
    after.delete(id(before));
    if (!now) {
      problems.push(`${id(before)}: read back on the snapshot, missing after the restore`);
      continue;
    }
    if (!isDeepStrictEqual(before.observed, now.observed) || before.status !== now.status)
      problems.push(
        `${id(before)}: snapshot ${JSON.stringify(before.observed)} (${before.status}), restored ${JSON.stringify(now.observed)} (${now.status})`,
      );
  }
  for (const extra of after.keys())
    problems.push(`${extra}: read back after the restore, not on the snapshot`);
  return problems;
}
