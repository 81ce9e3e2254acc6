/**
 * The Prometheus text exposition format, parsed by hand: the one npm parser for it
 * (parse-prometheus-text-format 1.1) merges every labelled series of a histogram into one and
 * drops the labels, and per-verb, per-priority-level histograms are what tuneproof reads.
 * Lines are `name{label="value",...} value [timestamp]`; `# HELP`/`# TYPE` lines are skipped.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A scrape of a /metrics endpoint: samples by their full name (`x_bucket`, `x_count`...). */
export type Scrape = Map<string, PromSample[]>;

const sampleRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseScrape(text: string): Scrape {
  const out: Scrape = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = sampleRe.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(labelRe))
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    const value =
      m[3] === '+Inf'
        ? Number.POSITIVE_INFINITY
        : m[3] === '-Inf'
          ? Number.NEGATIVE_INFINITY
          : Number(m[3]);
    const list = out.get(m[1]!) ?? [];
    list.push({ name: m[1]!, labels, value });
    out.set(m[1]!, list);
  }
  return out;
}

const matches = (labels: Record<string, string>, filter: Record<string, string | RegExp>) =>
  Object.entries(filter).every(([k, v]) =>
    typeof v === 'string' ? labels[k] === v : v.test(labels[k] ?? ''),
  );

/** Sum of a counter's or gauge's samples, grouped by one label (or all in one group). */
export function sumBy(
  scrape: Scrape,
  name: string,
  groupBy?: string,
  filter: Record<string, string | RegExp> = {},
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of scrape.get(name) ?? []) {
    if (!matches(s.labels, filter)) continue;
    const key = groupBy ? (s.labels[groupBy] ?? '') : '';
    out.set(key, (out.get(key) ?? 0) + s.value);
  }
  return out;
}

/** after - before, per group; a counter reset (restart) counts from zero. */
export function counterDelta(
  before: Scrape,
  after: Scrape,
  name: string,
  groupBy?: string,
  filter: Record<string, string | RegExp> = {},
): Map<string, number> {
  const a = sumBy(before, name, groupBy, filter);
  const b = sumBy(after, name, groupBy, filter);
  const out = new Map<string, number>();
  for (const [k, v] of b) {
    const prev = a.get(k) ?? 0;
    out.set(k, v >= prev ? v - prev : v);
  }
  return out;
}

export interface HistogramDelta {
  /** Cumulative counts per upper bound (seconds or whatever the family uses), sorted. */
  buckets: [number, number][];
  count: number;
  sum: number;
}

/** Bucket-wise difference of a histogram between two scrapes, grouped by a label. */
export function histogramDelta(
  before: Scrape,
  after: Scrape,
  name: string,
  groupBy?: string,
  filter: Record<string, string | RegExp> = {},
): Map<string, HistogramDelta> {
  const collect = (scrape: Scrape) => {
    const out = new Map<string, { buckets: Map<number, number>; count: number; sum: number }>();
    const group = (s: PromSample) => {
      const key = groupBy ? (s.labels[groupBy] ?? '') : '';
      const h = out.get(key) ?? { buckets: new Map<number, number>(), count: 0, sum: 0 };
      out.set(key, h);
      return h;
    };
    for (const s of scrape.get(`${name}_bucket`) ?? []) {
      if (!matches(s.labels, filter)) continue;
      const h = group(s);
      const bound = s.labels.le === '+Inf' ? Number.POSITIVE_INFINITY : Number(s.labels.le);
      h.buckets.set(bound, (h.buckets.get(bound) ?? 0) + s.value);
    }
    for (const s of scrape.get(`${name}_count`) ?? [])
      if (matches(s.labels, filter)) group(s).count += s.value;
    for (const s of scrape.get(`${name}_sum`) ?? [])
      if (matches(s.labels, filter)) group(s).sum += s.value;
    return out;
  };
  const a = collect(before);
  const b = collect(after);
  const out = new Map<string, HistogramDelta>();
  for (const [k, hb] of b) {
    const ha = a.get(k);
    // a restarted apiserver starts its counters again: count from zero
    const base = ha && hb.count >= ha.count ? ha : undefined;
    out.set(k, {
      buckets: [...hb.buckets.entries()]
        .sort(([x], [y]) => x - y)
        .map(([bound, c]) => [bound, c - (base?.buckets.get(bound) ?? 0)]),
      count: hb.count - (base?.count ?? 0),
      sum: hb.sum - (base?.sum ?? 0),
    });
  }
  return out;
}

/**
 * A quantile from cumulative buckets, interpolated linearly inside the bucket as PromQL's
 * histogram_quantile does (so numbers match what operators see in their dashboards).
 */
export function histogramQuantile(q: number, h: HistogramDelta): number | undefined {
  if (h.count <= 0 || h.buckets.length === 0) return undefined;
  const rank = q * h.count;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of h.buckets) {
    if (count >= rank) {
      if (bound === Number.POSITIVE_INFINITY) return prevBound;
      const inBucket = count - prevCount;
      return inBucket <= 0
        ? bound
        : prevBound + ((bound - prevBound) * (rank - prevCount)) / inBucket;
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}
