import { blockKubeletApiserver } from './block-kubelet-apiserver.ts';
import { diskWriteThrottle } from './disk-write-throttle.ts';
import type { Fault } from './fault.ts';
import { freezeProcess } from './freeze-process.ts';
import { networkDisconnect } from './network-disconnect.ts';
import { pauseNode } from './pause-node.ts';
import { stopSimulatedHeartbeats } from './stop-simulated-heartbeats.ts';

export { blockKubeletApiserver } from './block-kubelet-apiserver.ts';
export { diskWriteThrottle } from './disk-write-throttle.ts';
export type { Fault, FaultTarget } from './fault.ts';
export { freezeProcess } from './freeze-process.ts';
export { faultProblems, injectFault } from './inject-fault.ts';
export { networkDisconnect } from './network-disconnect.ts';
export { pauseNode } from './pause-node.ts';
export { stopSimulatedHeartbeats } from './stop-simulated-heartbeats.ts';
export { type FaultTimeline, type FaultWindow, withFault } from './with-fault.ts';

/** Every fault by name: adding one is its file plus a line here. */
export const faults: Readonly<Record<string, Fault>> = Object.fromEntries(
  [
    networkDisconnect,
    blockKubeletApiserver,
    pauseNode,
    diskWriteThrottle,
    freezeProcess,
    stopSimulatedHeartbeats,
  ].map((f) => [f.name, f as Fault]),
);

export function faultNames(): string[] {
  return Object.keys(faults).sort();
}
