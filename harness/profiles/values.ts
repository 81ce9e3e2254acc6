import { formatGoDuration, parseGoDuration } from '../util/go-duration.ts';
import type { ValueType } from './catalogue-types.ts';

export { formatGoDuration, parseGoDuration };

/** time.Duration is an int64 of nanoseconds: at most 2562047h47m16.854775807s. */
export const maxGoDurationMs = 9_223_372_036_854.775;

const quantityRe = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;
const quantityScale: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const percentRe = /^(\d+(?:\.\d+)?)%$/;
/** The kubelet turns eviction and reserved quantities into int64 (bytes, millicores, pids). */
const maxQuantity = 2 ** 63 - 1;

/** How a value that is not what was expected is named in a message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan (not a number)';
    if (!Number.isFinite(value)) return `${value > 0 ? '' : '-'}.inf (infinity)`;
    return String(value);
  }
  if (typeof value === 'string')
    return `"${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

const range = (min?: number, max?: number, fmt: (n: number) => string = String) =>
  min !== undefined && max !== undefined
    ? `between ${fmt(min)} and ${fmt(max)}`
    : min !== undefined
      ? `>= ${fmt(min)}`
      : `<= ${fmt(max ?? 0)}`;

const bound = (n: number): string =>
  n === Number.MAX_SAFE_INTEGER
    ? '9007199254740991 (2^53-1)'
    : n === 2 ** 31 - 1
      ? '2147483647 (int32)'
      : n === 2 ** 32 - 1
        ? '4294967295 (uint32)'
        : n >= 1e21 || (n !== 0 && Math.abs(n) < 1e-6)
          ? n.toExponential()
          : String(n);

/** Checks `value` against a knob's type; returns a problem message or undefined. */
export function checkValue(type: ValueType, value: unknown): string | undefined {
  switch (type.kind) {
    case 'int':
    case 'float': {
      const want = type.kind === 'int' ? 'an integer' : 'a number';
      if (typeof value !== 'number')
        return `expected ${want}, got ${describe(value)}${typeof value === 'string' && /^-?[\d.]+$/.test(value) ? ' (a string: write it without quotes)' : ''}`;
      if (!Number.isFinite(value)) return `expected ${want}, got ${describe(value)}`;
      if (type.kind === 'int' && !Number.isInteger(value))
        return `expected an integer, got ${value}`;
      if (type.kind === 'int' && !Number.isSafeInteger(value))
        return `${bound(value)} is out of range: must be ${range(type.min, type.max ?? Number.MAX_SAFE_INTEGER, bound)}`;
      if (
        (type.min !== undefined && value < type.min) ||
        (type.max !== undefined && value > type.max)
      )
        return `${bound(value)} is out of range: must be ${range(type.min, type.max, bound)}`;
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean'
        ? undefined
        : `expected true or false, got ${describe(value)}`;
    case 'duration': {
      if (typeof value !== 'string')
        return `expected a duration such as "20s" or "1m30s", got ${describe(value)}${typeof value === 'number' && Number.isFinite(value) ? ' (add a unit)' : ''}`;
      const ms = parseGoDuration(value);
      if (ms === undefined)
        return `${describe(value)} is not a duration (use Go syntax: "300ms", "20s", "1m30s", "24h")`;
      if (ms > maxGoDurationMs)
        return `${value} is beyond Go's duration range (at most 2562047h47m16s, an int64 of nanoseconds)`;
      if (
        (type.minMs !== undefined && ms < type.minMs) ||
        (type.maxMs !== undefined && ms > type.maxMs)
      )
        return `${value} is out of range: must be ${range(type.minMs, type.maxMs, formatGoDuration)}`;
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}, got ${describe(value)}`;
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${describe(value)}`;
      // the value becomes one command-line flag: a line break or control character would not
      return hasControl(value) ? 'must not contain line breaks or control characters' : undefined;
    case 'sysctl':
      return checkSysctl(type, value);
    case 'quantity-map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return `expected a map of ${type.keys.join(', ')}, got ${describe(value)}`;
      return undefined; // entries are checked one by one (each with its own path) by the loader
    }
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const controlRe = /[\u0000-\u001f\u007f]/;
export const hasControl = (text: string): boolean => controlRe.test(text);

function checkSysctl(
  type: Extract<ValueType, { kind: 'sysctl' }>,
  value: unknown,
): string | undefined {
  const count = type.count ?? 1;
  const shape =
    count === 1 ? 'an integer' : `${count} integers separated by spaces, such as "1024 65000"`;
  let parts: number[];
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `expected ${shape}, got ${describe(value)}`;
    if (!Number.isInteger(value)) return `expected ${shape}, got ${value}`;
    parts = [value];
  } else if (typeof value === 'string') {
    const words = value.trim().split(/\s+/);
    // no leading zeros: the kernel reads "010" as octal 8
    if (!value.trim() || !words.every((w) => /^-?(0|[1-9]\d*)$/.test(w)))
      return `expected ${shape} (decimal, no leading zeros), got ${describe(value)}`;
    parts = words.map(Number);
  } else return `expected ${shape}, got ${describe(value)}`;
  if (parts.length !== count) return `expected ${shape}, got ${parts.length} value(s)`;
  const [min, max] = [type.min ?? 0, type.max ?? 2 ** 31 - 1];
  for (const n of parts)
    if (!Number.isSafeInteger(n) || n < min || n > max)
      return `${bound(n)} is out of range: the kernel takes ${range(min, max, bound)}`;
  if (count === 2 && parts[0]! > parts[1]!)
    return `the first value (${parts[0]}) must not be above the second (${parts[1]})`;
  return undefined;
}

export function checkQuantity(value: unknown): string | undefined {
  const want = 'expected a quantity such as "100Mi", "500m" or "10%"';
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) return `${want}, got ${describe(value)}`;
    if (value > maxQuantity || /e/i.test(String(value)))
      return `${bound(value)} is out of range: quantities must be at most 2^63-1`;
    return undefined;
  }
  if (typeof value !== 'string') return `${want}, got ${describe(value)}`;
  const pct = percentRe.exec(value);
  if (pct) return Number(pct[1]) <= 100 ? undefined : `${value} is above 100%`;
  const q = quantityRe.exec(value);
  if (!q) return `${want}, got ${describe(value)}`;
  if (Number(q[1]) * quantityScale[q[2] ?? '']! > maxQuantity)
    return `${value} is out of range: quantities must be at most 2^63-1 (8Ei)`;
  return undefined;
}

/**
 * A value in a canonical form, so that a desired value and one read back from a cluster compare
 * equal when they mean the same (durations "1m" and "1m0s"; 1500 and "1500").
 */
export function normalise(type: ValueType, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (type.kind) {
    case 'int':
    case 'float': {
      const n = typeof value === 'string' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : value;
    }
    case 'bool':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'duration': {
      const ms = typeof value === 'string' ? parseGoDuration(value) : undefined;
      return ms === undefined ? value : formatGoDuration(ms);
    }
    case 'sysctl':
      return String(value).trim().split(/\s+/).join(' ');
    case 'quantity-map':
      return typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value as Record<string, unknown>)
              .map(([k, v]) => [k, String(v)])
              .sort(),
          )
        : value;
    default:
      return value;
  }
}

/** How a value is written in a component flag (`--name=value`). */
export function flagValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
