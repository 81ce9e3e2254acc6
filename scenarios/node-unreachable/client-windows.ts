/**
 * What the client saw, split by the fault: before it (warm-up), while it lasted, and after the
 * heal. Per-second counts are by the second a request was *sent* (k6 stamps a request's point
 * when it ends; its duration is subtracted), so a request that hung for 10 s on a dead upstream
 * shows where the user sent it.
 */

export interface ClientRequest {
  /** When the request was sent (ms since the epoch). */
  startMs: number;
  /** Status class as `statusClass` gives it: 2xx, 4xx, 502, 503, 504, 5xx, timeout, conn_error. */
  status: string;
  durationMs: number;
}

export type ClientWindow = 'warmup' | 'fault' | 'after' | 'all';
export const clientWindows: readonly ClientWindow[] = ['warmup', 'fault', 'after', 'all'];

/** Statuses reported one by one; any other non-2xx counts as `other`. */
export const reportedStatuses = ['502', '503', '504', '5xx', 'timeout', 'conn_error'] as const;

export const isError = (status: string): boolean => status !== '2xx';

/**
 * The window of a request: warm-up if it ended before the fault, after if it was sent after the
 * heal, else the fault's (a request in flight when the fault began is the fault's).
 */
export function windowOf(
  r: { startMs: number; durationMs: number },
  at: { faultMs: number; healMs?: number },
): Exclude<ClientWindow, 'all'> {
  if (r.startMs + r.durationMs < at.faultMs) return 'warmup';
  return at.healMs === undefined || r.startMs < at.healMs ? 'fault' : 'after';
}

export interface ClientSummary {
  /** Requests per window and status. */
  counts: Record<ClientWindow, Map<string, number>>;
  /** Requests per whole second (ms since the epoch of the second's start) and status. */
  perSecond: Map<number, Map<string, number>>;
  /** Seconds in which at least one request failed. */
  errorSeconds: number;
  firstErrorMs?: number;
  lastErrorMs?: number;
  /**
   * The start of the first second after which no request failed until the end, if errors
   * happened and the run went on without errors for at least `cleanSeconds` after it.
   */
  recoveredMs?: number;
}

export function summariseClient(
  requests: readonly ClientRequest[],
  at: { faultMs: number; healMs?: number },
  cleanSeconds = 5,
): ClientSummary {
  const counts: ClientSummary['counts'] = {
    warmup: new Map(),
    fault: new Map(),
    after: new Map(),
    all: new Map(),
  };
  const perSecond = new Map<number, Map<string, number>>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let firstErrorMs: number | undefined;
  let lastErrorMs: number | undefined;
  let endMs = Number.NEGATIVE_INFINITY;
  for (const r of requests) {
    bump(counts[windowOf(r, at)], r.status);
    bump(counts.all, r.status);
    const second = Math.floor(r.startMs / 1000) * 1000;
    const sec = perSecond.get(second) ?? new Map<string, number>();
    perSecond.set(second, sec);
    bump(sec, r.status);
    endMs = Math.max(endMs, r.startMs);
    if (isError(r.status)) {
      firstErrorMs = Math.min(firstErrorMs ?? r.startMs, r.startMs);
      lastErrorMs = Math.max(lastErrorMs ?? r.startMs, r.startMs);
    }
  }
  let errorSeconds = 0;
  for (const sec of perSecond.values()) if ([...sec.keys()].some(isError)) errorSeconds++;
  const recoveredMs =
    lastErrorMs === undefined
      ? undefined
      : Math.floor(lastErrorMs / 1000) * 1000 + 1000 + cleanSeconds * 1000 <= endMs + 1000
        ? Math.floor(lastErrorMs / 1000) * 1000 + 1000
        : undefined;
  return { counts, perSecond, errorSeconds, firstErrorMs, lastErrorMs, recoveredMs };
}

/** Errors (non-2xx) in one window's counts. */
export function errorCount(counts: Map<string, number>): number {
  let n = 0;
  for (const [status, c] of counts) if (isError(status)) n += c;
  return n;
}

/** A window's count of one reported status; `other` is every error not reported by itself. */
export function statusCount(counts: Map<string, number>, status: string): number {
  if (status !== 'other') return counts.get(status) ?? 0;
  let n = 0;
  for (const [s, c] of counts)
    if (isError(s) && !(reportedStatuses as readonly string[]).includes(s)) n += c;
  return n;
}
