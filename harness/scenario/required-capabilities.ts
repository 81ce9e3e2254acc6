import type { Capabilities } from '../../clusters/provider.ts';
import type { Scenario } from './types.ts';

/** What a scenario needs of a provider with these parameters: its own needs and its faults'. */
export function requiredCapabilities(scenario: Scenario, params: unknown): (keyof Capabilities)[] {
  const faults = scenario.faults?.(params) ?? [];
  return [...new Set([...scenario.requires, ...faults.flatMap((f) => f.requires)])];
}

/** The capabilities of `requiredCapabilities` that `capabilities` lacks. */
export function missingCapabilities(
  scenario: Scenario,
  params: unknown,
  capabilities: Capabilities,
): (keyof Capabilities)[] {
  return requiredCapabilities(scenario, params).filter((c) => !capabilities[c]);
}
