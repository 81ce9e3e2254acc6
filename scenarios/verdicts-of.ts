import type { ScenarioVerdicts } from '../harness/scenario/scenario-verdicts.ts';
import { scenarios } from './index.ts';

/** A registered scenario's primary metrics and censored milestones, by scenario name. */
export function verdictsOf(scenario: string): ScenarioVerdicts | undefined {
  return scenarios[scenario]?.verdicts;
}
