/**
 * The nginx variant's own view of each request, from its access log (one JSON object a line,
 * written by image-files/nginx-entrypoint's `log_format tuneproof`). Upstream variables hold one
 * entry per try, comma-separated (`502, 200`), and ` : ` between upstream groups; `-` where a try
 * got no value (no connection, no response).
 */

export interface ProxyTry {
  addr: string;
  /** The try's status as nginx counts it: 502 for an error (refused, reset, unreachable), 504 for a timeout. */
  status?: number;
  /** Seconds to connect, when it connected. */
  connectSeconds?: number;
}

export interface ProxyRequest {
  /** When nginx read the request's first bytes (ms since the epoch): `$msec - $request_time`. */
  startMs: number;
  durationMs: number;
  /** The status nginx answered (499: the client closed the connection first). */
  status: number;
  /** `X-Tuneproof-Phase` of the request: `load` for the client's load, else setup probes. */
  phase: string;
  tries: ProxyTry[];
}

const list = (v: unknown): string[] =>
  typeof v === 'string' && v !== '' ? v.split(/\s*[,:]\s+|\s+:\s+/).map((x) => x.trim()) : [];
const num = (v: string | undefined): number | undefined =>
  v === undefined || v === '-' || v === '' ? undefined : Number(v);

/** One access-log line; undefined for lines that are not (the entrypoint's and nginx's own). */
export function parseNginxLine(line: string): ProxyRequest | undefined {
  const start = line.indexOf('{"msec":');
  if (start < 0) return undefined;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line.slice(start));
  } catch {
    return undefined;
  }
  const msec = Number(o.msec);
  const seconds = Number(o.request_time);
  const status = Number(o.status);
  if (!Number.isFinite(msec) || !Number.isFinite(seconds) || !Number.isFinite(status))
    return undefined;
  const addrs = list(o.upstream_addr);
  const statuses = list(o.upstream_status);
  const connects = list(o.upstream_connect_time);
  const tries: ProxyTry[] = addrs.map((addr, i) => {
    const t: ProxyTry = { addr };
    const s = num(statuses[i]);
    const c = num(connects[i]);
    if (s !== undefined) t.status = s;
    if (c !== undefined) t.connectSeconds = c;
    return t;
  });
  return {
    startMs: Math.round((msec - seconds) * 1000),
    durationMs: Math.round(seconds * 1000),
    status,
    phase: typeof o.phase === 'string' ? o.phase : '',
    tries,
  };
}

export function parseNginxLog(text: string): ProxyRequest[] {
  const out: ProxyRequest[] = [];
  for (const line of text.split('\n')) {
    const r = parseNginxLine(line);
    if (r) out.push(r);
  }
  return out;
}

/**
 * A request's status as the client views are counted (client-windows.ts): 502/503/504 by
 * themselves, `client_closed` for nginx's 499 (the client gave up first), else the class.
 */
export function proxyStatusClass(status: number): string {
  if ([429, 502, 503, 504].includes(status)) return String(status);
  if (status === 499) return 'client_closed';
  return `${Math.floor(status / 100)}xx`;
}

/** A failed try's kind: `error` (502: refused, reset, unreachable) or `timeout` (504). */
export function tryFailure(t: ProxyTry): 'error' | 'timeout' | undefined {
  if (t.status === 502) return 'error';
  if (t.status === 504) return 'timeout';
  return undefined;
}
