export { type BenchSample, type BenchSummary, benchRestore, summarise } from './bench-restore.ts';
export { hostPidsOf, type ProcessWindow, processWindow } from './control-plane-usage.ts';
export { benchSimulatedNodes, type SimulatedNodesBenchRow } from './simulated-nodes-bench.ts';
