export { catalogue, findKnob, knobsOf } from './catalogue.ts';
export type { Component, Knob, ScenarioName, Scope, ValueType } from './catalogue-types.ts';
export { components, knobId } from './catalogue-types.ts';
export {
  desiredConfig,
  type Observation,
  observeConfig,
  type PodObservation,
  summariseEffectiveConfig,
} from './effective-config.ts';
export { EffectiveConfigEntry } from './effective-config-entry.ts';
export { diffProfiles, type ExplainedKnob, explainProfile, type KnobDiff } from './explain.ts';
export { evidenceFor, type KnobEvidence, knobEvidence, onRealHost } from './knob-evidence.ts';
export { builtinProfilesDir, loadProfile, resolveProfileRef } from './load-profile.ts';
export { ProfileRef, profileRef } from './profile-ref.ts';
export type { FlagComponent, ProfileValue, ResolvedProfile } from './profile-types.ts';
export {
  type NodeLayout,
  type NotApplied,
  type RenderContext,
  type RenderedCluster,
  type RenderedNode,
  type RenderNode,
  renderProfile,
} from './render.ts';
export { formatGoDuration, normalise, parseGoDuration } from './values.ts';
