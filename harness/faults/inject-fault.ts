import type { z } from 'zod';
import { ConfigError, type Problem, zodProblems } from '../errors.ts';
import type { Undo } from '../util/cleanup.ts';
import type { Fault, FaultTarget } from './fault.ts';

/** Why `fault` cannot run on `target` with `params` (missing capabilities, bad parameters). */
export function faultProblems(fault: Fault, target: FaultTarget, params: unknown): Problem[] {
  const missing = fault.requires.filter((c) => !target.cluster.capabilities[c]);
  const problems: Problem[] = missing.length
    ? [
        {
          path: 'provider',
          message: `fault ${fault.name} needs ${missing.join(', ')}, which provider ${target.cluster.provider} lacks`,
          severity: 'error',
        },
      ]
    : [];
  const parsed = fault.parameters.safeParse(params);
  if (!parsed.success) problems.push(...zodProblems(parsed.error));
  return problems;
}

/**
 * Checks and injects one fault; returns its undo, already on the cleanup stack. Scenarios use
 * `withFault` (which also records the window); this is for callers that hold no run (tests).
 */
export async function injectFault<S extends z.ZodType>(
  fault: Fault<S>,
  target: FaultTarget,
  params: z.input<S> = {} as z.input<S>,
): Promise<Undo> {
  const problems = faultProblems(fault, target, params);
  if (problems.length)
    throw new ConfigError(`fault ${fault.name} on ${target.node.name}`, problems);
  return fault.inject(target, fault.parameters.parse(params));
}
