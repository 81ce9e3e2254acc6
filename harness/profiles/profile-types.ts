import type { ProblemLocation } from '../errors.ts';
import type { Component, Knob } from './catalogue-types.ts';

export const profileApiVersion = 'tuneproof.dev/v1alpha1';
export const profileKind = 'TuningProfile';

/** Components whose knobs are command-line flags, and so accept unchecked `extraArgs`. */
export const flagComponents = ['apiServer', 'controllerManager', 'scheduler', 'etcd'] as const;
export type FlagComponent = (typeof flagComponents)[number];

export interface ProfileValue {
  knob: Knob;
  value: unknown;
  /** Why this value: the profile author's one-line reason. */
  reason?: string;
  /** Which profile set it, and where. */
  origin: ProblemLocation & { profile: string };
}

/** A profile with its `extends` chain merged: what a cluster gets. */
export interface ResolvedProfile {
  name: string;
  description?: string;
  /** Files of the chain, the profile itself first, its furthest base last. */
  files: string[];
  /** Knob id (`component.key`) -> value set by the profile or one of its bases. */
  values: Map<string, ProfileValue>;
  /** Flags passed through unchecked, per component. */
  extraArgs: Record<FlagComponent, Record<string, string>>;
  /** sha256 over the resolved values: two profiles with equal digests configure a cluster alike. */
  digest: string;
}

export type { Component };
