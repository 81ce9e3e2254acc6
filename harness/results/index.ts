export {
  HistogramRecorder,
  percentileKey,
  reportedPercentiles,
} from '../measure/histogram.ts';
export { findRunDirs, readRun, readSamples } from './run-reader.ts';
export { type RunInit, RunWriter, runFiles } from './run-writer.ts';
export * from './schema.ts';
