import type { TimelineEvent } from '../results/schema.ts';

export interface TimelineWindow {
  kind: TimelineEvent['kind'];
  name: string;
  startMs: number;
  endMs: number;
  /** No end event was recorded: the window runs to the end of the run. */
  open: boolean;
}

/**
 * Pairs 'start' and 'end' events of the same kind and name into windows (first start with first
 * end), e.g. a fault from injection to recovery. A start without an end lasts until `runEndMs`;
 * an end without a start is ignored.
 */
export function timelineWindows(
  events: readonly TimelineEvent[],
  runEndMs: number,
): TimelineWindow[] {
  const open = new Map<string, TimelineEvent[]>();
  const windows: TimelineWindow[] = [];
  for (const e of [...events].sort((x, y) => x.tMs - y.tMs)) {
    const key = `${e.kind}\0${e.name}`;
    if (e.edge === 'start') {
      open.set(key, [...(open.get(key) ?? []), e]);
    } else if (e.edge === 'end') {
      const starts = open.get(key);
      const start = starts?.shift();
      if (start)
        windows.push({ kind: e.kind, name: e.name, startMs: start.tMs, endMs: e.tMs, open: false });
    }
  }
  for (const starts of open.values()) {
    for (const s of starts) {
      windows.push({
        kind: s.kind,
        name: s.name,
        startMs: s.tMs,
        endMs: Math.max(runEndMs, s.tMs),
        open: true,
      });
    }
  }
  return windows.sort((x, y) => x.startMs - y.startMs);
}
