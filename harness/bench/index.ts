export { type BenchSample, type BenchSummary, benchRestore, summarise } from './bench-restore.ts';
