import type { z } from 'zod';
import type { SimulatedNodesSpec } from '../../clusters/kwok/index.ts';
import type { Capabilities, Cluster } from '../../clusters/provider.ts';
import type { Fault } from '../faults/index.ts';
import type { ScenarioName } from '../profiles/index.ts';
import type { RunRecorder } from './run-recorder.ts';
import type { ScenarioVerdicts } from './scenario-verdicts.ts';

export const presetNames = ['smoke', 'standard'] as const;
export type PresetName = (typeof presetNames)[number];

/** Paths of the tools a scenario may run on the host. */
export interface Tools {
  k6: string;
}

/** Workload images scenarios run (tuneproof's own, or official ones where they can be pulled). */
export interface WorkloadImages {
  canary: string;
  /** HAProxy (tuneproof/proxy). */
  proxy: string;
  /** nginx set up as ingress-nginx sets it up (tuneproof/nginx). */
  nginx: string;
  registry: string;
}

export interface ScenarioContext<P> {
  cluster: Cluster;
  writer: RunRecorder;
  params: P;
  tools: Tools;
  images: WorkloadImages;
  /** Aborted on SIGINT/SIGTERM: long waits should stop early. */
  signal: AbortSignal;
  /**
   * A named phase of the scenario starts now (e.g. `during` just before a fault, `after` once
   * it healed): every measurement's `phase` hook runs, so per-phase numbers split at the moments
   * the scenario chose. The time before the first one is the phase `before`.
   */
  phase(name: string): Promise<void>;
  /**
   * The run's measurement of this class, for handing it what only the scenario knows (its
   * watches, its load's output); throws if the scenario did not list one.
   */
  measurement<M extends Measurement>(type: abstract new (...args: never[]) => M): M;
}

/**
 * A measurement plugin (clusterloader2's Measurement): started before the scenario's phases,
 * gathered after them (also when the scenario failed, so partial results are kept). It writes
 * its metrics, distributions and samples through the run writer.
 */
export interface Measurement {
  readonly name: string;
  start(ctx: ScenarioContext<unknown>): Promise<void>;
  /** A phase starts (`ScenarioContext.phase`) at `at`: take what per-phase numbers need. */
  phase?(name: string, at: Date, ctx: ScenarioContext<unknown>): Promise<void>;
  gather(ctx: ScenarioContext<unknown>): Promise<void>;
}

/** A named plan that answers one question: setup, phases, teardown. */
export interface Scenario<S extends z.ZodType = z.ZodType> {
  readonly name: ScenarioName;
  /** The question it answers, for docs and reports. */
  readonly question: string;
  readonly parameters: S;
  /** Parameter sets: smoke (CI, minutes) and standard (real comparisons). */
  readonly presets: Record<PresetName, z.input<S>>;
  /**
   * Provider capabilities it needs besides its faults'; a provider without them (or without
   * what `faults` need) is refused before anything starts.
   */
  readonly requires: readonly (keyof Capabilities)[];
  /** The faults it injects with these parameters (their capabilities are checked up front). */
  faults?(params: z.infer<S>): readonly Fault[];
  /** Control-plane ports to publish on 127.0.0.1 (e.g. a NodePort the scenario's client uses). */
  publishPorts?(params: z.infer<S>): number[];
  /** Worker nodes the cluster needs for these parameters. */
  workers(params: z.infer<S>): number;
  /** Simulated (kwok) nodes the cluster needs beside the real ones, if any. */
  simulatedNodes?(params: z.infer<S>): SimulatedNodesSpec | undefined;
  /** Measurements to start before `run` and gather after it. */
  measurements(params: z.infer<S>): Measurement[];
  /** Primary metrics (they alone gate a comparison) and censored milestones: primary-metrics.ts. */
  readonly verdicts?: ScenarioVerdicts;
  /** The phases; every fault it injects is registered for recovery before injection. */
  run(ctx: ScenarioContext<z.infer<S>>): Promise<void>;
}
