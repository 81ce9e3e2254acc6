import { formatNumber } from '../compare/format-number.ts';
import type { Unit } from '../results/schema.ts';

const unitSuffix: Record<Unit, string> = {
  ms: ' ms',
  s: ' s',
  count: '',
  per_s: '/s',
  ratio: '',
  bytes: ' B',
  percent: '%',
};

/** A value with its unit for people: "12.3 ms", "1.2 GiB", "45%". */
export function formatValue(value: number | null | undefined, unit: Unit): string {
  if (value === null || value === undefined) return '–';
  if (unit === 'bytes') return formatBytes(value);
  return `${formatNumber(value)}${unitSuffix[unit]}`;
}

/** A signed shift: "+12.3 ms", "−4 count". */
export function formatShift(value: number, unit: Unit): string {
  const sign = value > 0 ? '+' : value < 0 ? '−' : '±';
  return `${sign}${formatValue(Math.abs(value), unit)}`;
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '';
  const pct = ratio * 100;
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${formatNumber(Math.abs(pct))}%`;
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${bytes < 0 ? '-' : ''}${formatNumber(v)} ${units[i]}`;
}
