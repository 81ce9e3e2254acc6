import {
  type CensoredMilestone,
  Margin,
  type PrimaryMetric,
  type ScenarioVerdicts,
} from '../scenario/scenario-verdicts.ts';

// a scenario declares its primaries (the scenario stage); comparisons judge by them
export { type CensoredMilestone, Margin, type PrimaryMetric, type ScenarioVerdicts };

export function effectiveMargin(margin: Margin, baselineMedian: number | null): number {
  return Math.max(margin.absolute ?? 0, (margin.relative ?? 0) * Math.abs(baselineMedian ?? 0));
}

export function describeMargin(margin: Margin, unit: string): string {
  const parts: string[] = [];
  if (margin.relative !== undefined) parts.push(`${+(margin.relative * 100).toFixed(2)}%`);
  if (margin.absolute !== undefined) parts.push(`${margin.absolute} ${unit}`);
  return parts.length === 2 ? `max(${parts.join(', ')})` : parts[0]!;
}
