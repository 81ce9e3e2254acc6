export {
  type BootstrapOptions,
  bootstrapCi,
  bootstrapDefaults,
  type ConfidenceInterval,
} from './bootstrap-ci.ts';
export { type CompareMetricOptions, compareMetric, type MetricSeries } from './compare-metric.ts';
export { type CompareRunsOptions, compareRuns, comparisonDefaults } from './compare-runs.ts';
export {
  Comparison,
  ComparisonOptions,
  comparisonSchemaVersion,
  ExcludedRun,
  GroupRef,
  GroupSide,
  MetricComparison,
  MetricSide,
  Outcome,
  OverallVerdict,
  PairComparison,
  RunValue,
  SideRef,
  SloCheck,
  Verdict,
} from './comparison.ts';
export { comparisonFile, readComparison, writeComparison } from './comparison-file.ts';
export { formatNumber, formatPValue } from './format-number.ts';
export {
  exclusionReasons,
  groupLabel,
  groupRuns,
  type RunGroup,
  type RunSide,
  sameGroup,
  unplannedComparisonId,
} from './group-runs.ts';
export { hodgesLehmann } from './hodges-lehmann.ts';
export { type LoadedRun, loadRuns, type UnreadableRun } from './load-runs.ts';
export { type MannWhitneyResult, mannWhitney, mannWhitneyMinPValue } from './mann-whitney.ts';
export { metricVerdict, type VerdictDecision, type VerdictInput } from './metric-verdict.ts';
export {
  findNoiseFloor,
  NoiseFloor,
  NoiseFloorEntry,
  noiseFloorFile,
  noiseFloorFrom,
  noiseFloorSchemaVersion,
  readNoiseFloor,
  readNoiseFloorIn,
  writeNoiseFloor,
} from './noise-floor.ts';
export { combineVerdicts, decideOutcome } from './outcome.ts';
export {
  type PlannedRunProgress,
  type PlannedRunState,
  pendingRuns,
  planProgress,
} from './plan-progress.ts';
export { type PlannedRun, type PlanOptions, planRuns, type RunPlan } from './plan-runs.ts';
export { defaultSeed, deriveSeed, seededRandom } from './seeded-random.ts';
export { checkSlo, describeSlo, meetsSlo, type SloEvaluation } from './slo-check.ts';
