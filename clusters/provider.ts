import type { KubeConfig } from '@kubernetes/client-node';
import type { EffectiveConfigEntry, ResolvedProfile } from '../harness/profiles/index.ts';
import type { Undo } from '../harness/util/cleanup.ts';
import type { ExecResult } from '../harness/util/exec.ts';
import type { ClusterFacts } from './facts.ts';
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
  /** Freeze a whole node (cgroup freezer on its container). */
  pauseNode: boolean;
  /** Run a registry on the cluster network that nodes pull from. */
  localRegistry: boolean;
  /** Faults and destructive scenarios are allowed (the cluster is tuneproof's own). */
  destructive: boolean;
}

/**
 * Where a provider keeps the files that debug a failed run (node journals, logs, events): a
 * path under the run's directory and the content; the keeper redacts. The run writer is one.
 */
export interface ArtifactSink {
  artifact(relativePath: string, content: string): unknown;
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

/**
 * A handle to one node: what only a provider can do. Faults built on exec (iptables, blkio,
 * signals) are plugins in harness/faults/ and need nothing more than `exec`; the container-level
 * ones below register their undo on the cleanup stack before they act and return it.
 */
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
  /** Freeze the whole node container. */
  pause(): Promise<Undo>;
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
  collectDebug(sink: ArtifactSink): Promise<void>;
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
