import * as hdr from 'hdr-histogram-js';
import type { Distribution, Labels, Unit } from '../scenario/records.ts';

/** Percentiles every distribution reports; comparisons and SLOs pick from these. */
export const reportedPercentiles = [50, 90, 99, 99.9] as const;

/** Key for a percentile in Distribution.percentiles: 50 -> "p50", 99.9 -> "p99.9". */
export const percentileKey = (p: number): string => `p${p}`;

/**
 * Records values into an HDR histogram with 3 significant digits. Values are stored as integers
 * in `scale` units per reported unit (default 1000: milliseconds recorded as microseconds), so
 * sub-millisecond latencies keep their precision.
 */
export class HistogramRecorder {
  readonly #h: hdr.Histogram;
  readonly #scale: number;

  constructor(scale = 1000) {
    this.#scale = scale;
    this.#h = hdr.build({
      bitBucketSize: 'packed',
      autoResize: true,
      numberOfSignificantValueDigits: 3,
      useWebAssembly: false,
    });
  }

  static decode(encoded: string, scale = 1000): HistogramRecorder {
    const r = new HistogramRecorder(scale);
    const decoded = hdr.decodeFromCompressedBase64(encoded, 'packed', false);
    r.#h.add(decoded);
    decoded.destroy();
    return r;
  }

  record(value: number, count = 1): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.#h.recordValueWithCount(Math.round(value * this.#scale), count);
  }

  get count(): number {
    return this.#h.totalCount;
  }

  percentile(p: number): number {
    return this.#h.getValueAtPercentile(p) / this.#scale;
  }

  toDistribution(name: string, unit: Unit, labels: Labels = {}): Distribution {
    const count = this.#h.totalCount;
    const percentiles: Record<string, number> = {};
    for (const p of reportedPercentiles)
      percentiles[percentileKey(p)] = count ? this.percentile(p) : 0;
    return {
      name,
      labels,
      unit,
      count,
      min: count ? this.#h.minNonZeroValue / this.#scale : 0,
      max: count ? this.#h.maxValue / this.#scale : 0,
      mean: count ? this.#h.mean / this.#scale : 0,
      percentiles,
      hdr: hdr.encodeIntoCompressedBase64(this.#h),
    };
  }
}
