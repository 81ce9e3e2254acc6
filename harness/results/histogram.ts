// the recorder lives with the measurements that fill it; results read distributions back with it
export { HistogramRecorder, percentileKey, reportedPercentiles } from '../measure/histogram.ts';
