import { HistogramRecorder } from '../measure/histogram.ts';
import type { RunRecorder } from '../scenario/run-recorder.ts';
import { readK6Points } from './k6.ts';

export interface RequestStats {
  /** Per group (e.g. verb): latency histogram in ms. */
  latency: Map<string, HistogramRecorder>;
  /** Per group and status class: counts. */
  statuses: Map<string, Map<string, number>>;
  /** Requests per second over time, per status, keyed by epoch second. */
  perSecond: Map<number, Map<string, number>>;
  firstMs: number;
  lastMs: number;
  total: number;
}

/**
 * Client-side request statistics from k6's per-request points: HDR latency histograms per
 * group tag (open-model arrival-rate load keeps them free of coordinated omission), status
 * counts (k6 reports status 0 for timeouts and connection errors), and a per-second series.
 */
export async function aggregateRequests(
  pointsFile: string,
  groupTag: string,
  /** Groups left out entirely (e.g. the script's SETUP requests). */
  ignoreGroups: readonly string[] = [],
): Promise<RequestStats> {
  const stats: RequestStats = {
    latency: new Map(),
    statuses: new Map(),
    perSecond: new Map(),
    firstMs: Number.POSITIVE_INFINITY,
    lastMs: 0,
    total: 0,
  };
  // one streaming pass: per-second buckets are keyed by epoch second, so no first pass is
  // needed to find the start
  for await (const p of readK6Points(pointsFile, new Set(['http_req_duration']))) {
    const group = p.tags[groupTag] ?? 'all';
    if (ignoreGroups.includes(group)) continue;
    const status = statusClass(p.tags.status, p.tags.error_code);
    const h = stats.latency.get(group) ?? new HistogramRecorder();
    stats.latency.set(group, h);
    h.record(p.value);
    const byStatus = stats.statuses.get(group) ?? new Map<string, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    stats.statuses.set(group, byStatus);
    const second = Math.floor(p.timeMs / 1000);
    const sec = stats.perSecond.get(second) ?? new Map<string, number>();
    sec.set(status, (sec.get(status) ?? 0) + 1);
    stats.perSecond.set(second, sec);
    stats.firstMs = Math.min(stats.firstMs, p.timeMs);
    stats.lastMs = Math.max(stats.lastMs, p.timeMs);
    stats.total++;
  }
  return stats;
}

/**
 * Status as reported: the code itself for the ones that matter (429, 502, 503, 504), else its
 * class; "timeout" and "conn_error" for k6's status 0 (from its error codes: 1050 = request
 * timeout, 1xxx = network errors).
 */
export function statusClass(status: string | undefined, errorCode?: string): string {
  const code = Number(status ?? 0);
  if (code === 0) return errorCode === '1050' ? 'timeout' : 'conn_error';
  if ([429, 502, 503, 504].includes(code)) return String(code);
  return `${Math.floor(code / 100)}xx`;
}

/** Writes per-second request counts per status as samples (`http.requests`). */
export function writePerSecond(writer: RunRecorder, stats: RequestStats, series: string): void {
  for (const [second, byStatus] of [...stats.perSecond.entries()].sort(([a], [b]) => a - b)) {
    const at = new Date(second * 1000);
    for (const [status, count] of byStatus) writer.sample(series, count, { status }, at);
  }
}
