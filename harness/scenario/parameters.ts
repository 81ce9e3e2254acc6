import type { z } from 'zod';
import { ConfigError, type Problem, zodProblems } from '../errors.ts';
import type { PresetName, Scenario } from './types.ts';
import { unknownKeys } from './unknown-keys.ts';

/**
 * A scenario's parameters: its preset, then the user's overrides (`--set rate=200`), parsed and
 * checked against its schema. Every problem is reported at once with its field path.
 */
export function resolveParameters<S extends z.ZodType>(
  scenario: Scenario<S>,
  preset: PresetName,
  overrides: Record<string, unknown> = {},
): z.infer<S> {
  const input = { ...(scenario.presets[preset] as object), ...overrides };
  const parsed = scenario.parameters.safeParse(input);
  // keys zod would strip without a word inside nested objects are mistakes too (the top level
  // is a strict object: zod names those itself)
  const problems: Problem[] = unknownKeys(scenario.parameters, overrides)
    .filter((path) => path.includes('.'))
    .map((path) => ({
      path,
      message: 'unknown parameter',
      severity: 'error',
    }));
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  if (problems.length === 0 && parsed.success) return parsed.data;
  throw new ConfigError(`scenario ${scenario.name} (preset ${preset})`, problems);
}

const keyRe = /^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/;
const forbiddenKeys = ['__proto__', 'constructor', 'prototype'];

/**
 * `key=value` strings from the command line into an object; values parsed as JSON when they
 * can be. Every malformed pair is reported at once: no "=", a key that is not a parameter name,
 * a key given twice (the last would silently win), and `__proto__`/`constructor` anywhere (an
 * assignment to them would change the object's prototype instead of setting a parameter).
 */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const problems: Problem[] = [];
  const problem = (message: string) => problems.push({ path: '--set', message, severity: 'error' });
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const shown = pair.length > 60 ? `${pair.slice(0, 60)}...` : pair;
    if (eq <= 0) {
      problem(`expected key=value, got "${shown}"`);
      continue;
    }
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    if (key.split('.').some((k) => forbiddenKeys.includes(k))) {
      problem(`"${key}" is not a parameter: __proto__, constructor and prototype are refused`);
      continue;
    }
    if (!keyRe.test(key)) {
      problem(`"${key.slice(0, 60)}" is not a parameter name (letters, digits, - and _, dotted)`);
      continue;
    }
    if (Object.hasOwn(out, key)) {
      problem(`${key} is set twice; give it once`);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    const bad = forbiddenPaths(value, key);
    if (bad.length) {
      problem(`${bad.join(', ')}: __proto__, constructor and prototype are refused`);
      continue;
    }
    out[key] = value;
  }
  if (problems.length) throw new ConfigError('scenario parameters', problems);
  return out;
}

function forbiddenPaths(value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    forbiddenKeys.includes(k) ? [`${path}.${k}`] : forbiddenPaths(v, `${path}.${k}`),
  );
}
