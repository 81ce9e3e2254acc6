import type { KubeConfig } from '@kubernetes/client-node';
import type { ResolvedProfile } from '../harness/profiles/index.ts';
import type { RunWriter } from '../harness/results/run-writer.ts';
import type { ClusterFacts, EffectiveConfigEntry } from '../harness/results/schema.ts';
import type { Undo } from '../harness/util/cleanup.ts';
import type { ExecResult } from '../harness/util/exec.ts';
import type { SimulatedNodes, SimulatedNodesSpec } from './kwok/index.ts';

/**
 * What a provider can do. Scenarios check these, never provider names (clusterloader2's
 * SupportNodeKiller idea): a scenario that needs `partitionNode` refuses a provider without it.
 */
export interface Capabilities {
  /** More than one node. */
  multiNode: boolean;
  /** Run commands inside a node. */
  nodeExec: boolean;
  /** Cut a node off the cluster network (and reconnect it with the same IP). */
  partitionNode: boolean;
  /** Block only kubelet -> apiserver traffic of a node. */
  blockKubeletApiserver: boolean;
  /** Freeze a whole node (cgroup freezer on its container). */
  pauseNode: boolean;
  /** Throttle a process's disk writes (blkio in its own cgroup). */
  diskThrottle: boolean;
  /** Freeze one process. */
  processFreeze: boolean;
  /** Run a registry on the cluster network that nodes pull from. */
  localRegistry: boolean;
  /** Faults and destructive scenarios are allowed (the cluster is tuneproof's own). */
  destructive: boolean;
}

export interface ClusterSpec {
  /** Run that owns the cluster; every Docker object carries it as a label. */
  runId: string;
  /** Cluster name; unique on the machine. */
  name: string;
  profile: ResolvedProfile;
  workers: number;
  /** Control-plane container ports to publish on 127.0.0.1 (NodePorts a scenario serves on). */
  publishPorts?: readonly number[];
  /** Simulated (kwok) nodes to add beside the real ones (kind provider). */
  simulatedNodes?: SimulatedNodesSpec;
  /** Keep the cluster if bring-up fails (for debugging); print how to reach it. */
  retain?: boolean;
}

export type NodeRole = 'control-plane' | 'worker';

/** A handle to one node: exec and fault primitives, each fault returning its registered undo. */
export interface NodeHandle {
  readonly name: string;
  readonly role: NodeRole;
  readonly ip: string;
  exec(
    command: readonly string[],
    opts?: { allowFailure?: boolean; input?: string; timeoutMs?: number },
  ): Promise<ExecResult>;
  /** Disconnect from the cluster network; the undo reconnects with the same IP. */
  disconnect(): Promise<Undo>;
  /** Drop kubelet -> apiserver traffic only (pods keep serving). */
  blockApiServer(): Promise<Undo>;
  /** Freeze the whole node container. */
  pause(): Promise<Undo>;
  /** Limit write IOPS of the cgroup of `pid` (inside the node) on the disk holding `path`. */
  throttleWrites(pid: number, path: string, writeIops: number): Promise<Undo>;
  /** Freeze one process (SIGSTOP); the undo continues it. */
  freezeProcess(pid: number): Promise<Undo>;
  /** PID (in the node's PID namespace) of the first process named exactly `name`. */
  pidOf(name: string): Promise<number | undefined>;
}

export interface Cluster extends AsyncDisposable {
  readonly name: string;
  readonly runId: string;
  readonly provider: string;
  readonly capabilities: Capabilities;
  /** https://127.0.0.1:<port>: the apiserver as published on the host. */
  readonly apiServerUrl: string;
  readonly nodes: readonly NodeHandle[];
  /** The simulated nodes, when the spec asked for some. */
  readonly simulatedNodes?: SimulatedNodes;
  /** 127.0.0.1 port on the host for a published control-plane port (ClusterSpec.publishPorts). */
  hostPort(containerPort: number): number | undefined;
  /** Admin credentials, held in memory only; write them only where the user asks. */
  kubeConfig(): KubeConfig;
  facts(): ClusterFacts;
  /** The profile's knobs as read back from the running cluster. */
  effectiveConfig(): readonly EffectiveConfigEntry[];
  /**
   * Make host Docker images available to pods on every node (as `kind load docker-image`),
   * so pods run them with imagePullPolicy IfNotPresent and no registry.
   */
  loadImages(refs: readonly string[]): Promise<void>;
  /** Keep what is needed to debug a failed run: node journals, component and pod logs, events. */
  collectDebug(writer: RunWriter): Promise<void>;
  delete(): Promise<void>;
}

export interface ClusterSummary {
  name: string;
  runId: string;
  nodes: string[];
  createdAt?: string;
  apiServerUrl?: string;
}

export interface ProgressEvent {
  step: string;
  detail?: string;
}

export interface ClusterProvider {
  readonly name: string;
  readonly capabilities: Capabilities;
  create(spec: ClusterSpec, opts?: { onProgress?: (e: ProgressEvent) => void }): Promise<Cluster>;
  list(): Promise<ClusterSummary[]>;
  delete(name: string): Promise<void>;
}
