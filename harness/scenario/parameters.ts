import type { z } from 'zod';
import { ConfigError, type Problem } from '../errors.ts';
import type { PresetName, Scenario } from './types.ts';

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
  if (parsed.success) return parsed.data;
  const problems: Problem[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
    severity: 'error',
  }));
  throw new ConfigError(`scenario ${scenario.name} (preset ${preset})`, problems);
}

/** `key=value` strings from the command line into an object; values parsed as JSON when they can be. */
export function parseOverrides(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push({
        path: '--set',
        message: `expected key=value, got "${pair}"`,
        severity: 'error',
      });
      continue;
    }
    const key = pair.slice(0, eq);
    const raw = pair.slice(eq + 1);
    try {
      out[key] = JSON.parse(raw);
    } catch {
      out[key] = raw;
    }
  }
  if (problems.length) throw new ConfigError('scenario parameters', problems);
  return out;
}
