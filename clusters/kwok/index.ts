export {
  managedSelector,
  onSimulatedNodes,
  simulatedNodeLabels,
  simulatedNodeTaint,
} from './simulated-node-labels.ts';
export {
  type SimulatedNodeSlot,
  simulatedNodeManifest,
  simulatedNodeSlots,
  zoneName,
} from './simulated-node-manifest.ts';
export {
  SimulatedNodes,
  type SimulatedNodesFacts,
  type SimulatedNodesSpec,
} from './simulated-nodes.ts';
export { type SimulatorCadence, simulatorCadence } from './simulator-cadence.ts';
export {
  type SimulatorStage,
  simulatedPodCidr,
  simulatorConfig,
  simulatorStages,
} from './simulator-config.ts';
export { processUsage, type SimulatorUsage } from './simulator-process.ts';
export { startSimulatedNodes } from './start-simulated-nodes.ts';
