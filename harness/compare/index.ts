export { compareMetric, type MetricSeries, type MetricStatistics } from './compare-metric.ts';
export {
  type CompareRunsOptions,
  compareRuns,
  comparisonDefaults,
} from './compare-runs.ts';
export {
  Comparison,
  ComparisonOptions,
  ConfidenceInterval,
  comparisonSchemaVersion,
  ExcludedRun,
  GroupRef,
  GroupSide,
  MetricComparison,
  MetricSide,
  Outcome,
  OverallVerdict,
  PairComparison,
  PrimaryJudgement,
  RunValue,
  SideRef,
  SloCheck,
  Verdict,
} from './comparison.ts';
export { comparisonFile, readComparison, writeComparison } from './comparison-file.ts';
export {
  detectableChange,
  detectableShiftInSd,
  pooledSd,
  targetPower,
} from './detectable-shift.ts';
export { type ExactScoreTest, exactScoreTest } from './exact-score-test.ts';
export { formatNumber, formatPValue } from './format-number.ts';
export { gehanScores } from './gehan-scores.ts';
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
export { hodgesLehmannCi, minOneSidedP, type ShiftInterval } from './hodges-lehmann-ci.ts';
export { fallbackMargin, judgePair, pairVerdict } from './judge-pair.ts';
export { type LoadedRun, loadRuns, type UnreadableRun } from './load-runs.ts';
export { type MannWhitneyResult, mannWhitney, mannWhitneyMinPValue } from './mann-whitney.ts';
export { benjaminiHochberg, holmAdjust } from './multiplicity.ts';
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
export { type Observation, observed } from './observation.ts';
export { decideOutcome } from './outcome.ts';
export {
  type PlannedRunProgress,
  type PlannedRunState,
  pendingRuns,
  planProgress,
} from './plan-progress.ts';
export { type PlannedRun, type PlanOptions, planRuns, type RunPlan } from './plan-runs.ts';
export {
  type CensoredMilestone,
  describeMargin,
  effectiveMargin,
  Margin,
  type PrimaryMetric,
  type ScenarioVerdicts,
} from './primary-metric.ts';
export { defaultSeed, deriveSeed, seededRandom } from './seeded-random.ts';
export { type ShiftTest, shiftTest } from './shift-test.ts';
export { checkSlo, describeSlo, meetsSlo, type SloEvaluation } from './slo-check.ts';
export { environmentTolerance, markEnvironmentFindings } from './slo-environment.ts';
