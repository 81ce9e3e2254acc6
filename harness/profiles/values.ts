import type { ValueType } from './catalogue-types.ts';

/**
 * Go's time.Duration syntax ("1h2m3.5s", "300ms", "0"), parsed by hand: the kubelet, kube-proxy
 * and component flags all take exactly this syntax, and no npm library parses it strictly.
 */
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const durationRe = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/;

export function parseGoDuration(text: string): number | undefined {
  if (text === '0') return 0;
  let rest = text;
  let total = 0;
  if (!rest) return undefined;
  while (rest) {
    const m = durationRe.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unitMs[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** Canonical Go form (what `time.Duration.String()` prints), for ms-resolution values. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

const quantityRe = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/;
const percentRe = /^\d+(\.\d+)?%$/;

/** Checks `value` against a knob's type; returns a problem message or undefined. */
export function checkValue(type: ValueType, value: unknown): string | undefined {
  const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
  const range = (min?: number, max?: number) =>
    min !== undefined && max !== undefined
      ? `between ${min} and ${max}`
      : min !== undefined
        ? `>= ${min}`
        : `<= ${max}`;
  switch (type.kind) {
    case 'int':
    case 'float': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `expected ${type.kind === 'int' ? 'an integer' : 'a number'}, got ${got}${typeof value === 'string' ? ` "${value}"` : ''}`;
      if (type.kind === 'int' && !Number.isInteger(value))
        return `expected an integer, got ${value}`;
      if (
        (type.min !== undefined && value < type.min) ||
        (type.max !== undefined && value > type.max)
      )
        return `${value} is out of range: must be ${range(type.min, type.max)}`;
      return undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? undefined : `expected true or false, got ${got}`;
    case 'duration': {
      if (typeof value !== 'string')
        return `expected a duration such as "20s" or "1m30s", got ${got}${typeof value === 'number' ? ` ${value} (add a unit)` : ''}`;
      const ms = parseGoDuration(value);
      if (ms === undefined)
        return `"${value}" is not a duration (use Go syntax: "300ms", "20s", "1m30s", "24h")`;
      if (
        (type.minMs !== undefined && ms < type.minMs) ||
        (type.maxMs !== undefined && ms > type.maxMs)
      )
        return `${value} is out of range: must be ${range(
          type.minMs === undefined ? undefined : type.minMs,
          type.maxMs,
        ).replace(/\d+/g, (n) => formatGoDuration(Number(n)))}`;
      return undefined;
    }
    case 'enum':
      return typeof value === 'string' && type.values.includes(value)
        ? undefined
        : `expected one of ${type.values.join(', ')}, got ${typeof value === 'string' ? `"${value}"` : got}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${got}`;
    case 'sysctl':
      return typeof value === 'number' && Number.isInteger(value)
        ? undefined
        : typeof value === 'string' && /^-?\d+(\s+-?\d+)*$/.test(value.trim())
          ? undefined
          : `expected an integer (or integers separated by spaces), got ${got}`;
    case 'quantity-map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return `expected a map of ${type.keys.join(', ')}, got ${got}`;
      return undefined; // entries are checked one by one (each with its own path) by the loader
    }
  }
}

export function checkQuantity(value: unknown): string | undefined {
  if (typeof value === 'number' && value >= 0) return undefined;
  if (typeof value === 'string' && (quantityRe.test(value) || percentRe.test(value)))
    return undefined;
  return `expected a quantity such as "100Mi", "500m" or "10%", got ${JSON.stringify(value)}`;
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
