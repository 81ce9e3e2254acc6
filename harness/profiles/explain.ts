import { catalogue } from './catalogue.ts';
import { knobId } from './catalogue-types.ts';
import { evidenceFor, type KnobEvidence, onRealHost } from './knob-evidence.ts';
import type { ResolvedProfile } from './profile-types.ts';
import { normalise } from './values.ts';

export interface ExplainedKnob {
  id: string;
  value: unknown;
  default: unknown;
  defaultNote?: string;
  changed: boolean;
  reason?: string;
  setIn?: string;
  scope: string;
  scenarios: readonly string[];
  /** Real-cluster tests that show the knob moving a scenario's numbers (knob-evidence.ts). */
  evidence: readonly KnobEvidence[];
  /** A host-global knob: what would show it on a host where it can be set. */
  onRealHost?: string;
  description: string;
}

/** Every knob the profile sets, with upstream default, reason, scope and the scenario that measures it. */
export function explainProfile(profile: ResolvedProfile): ExplainedKnob[] {
  return catalogue.flatMap((knob) => {
    const v = profile.values.get(knobId(knob));
    if (!v) return [];
    return [
      {
        id: knobId(knob),
        value: v.value,
        default: knob.default,
        defaultNote: knob.defaultNote,
        changed:
          knob.default === undefined ||
          JSON.stringify(normalise(knob.type, v.value)) !==
            JSON.stringify(normalise(knob.type, knob.default)),
        reason: v.reason,
        setIn: v.origin.profile,
        scope: knob.scope,
        scenarios: knob.scenarios,
        evidence: evidenceFor(knobId(knob)),
        onRealHost: onRealHost[knobId(knob)],
        description: knob.description,
      },
    ];
  });
}

export interface KnobDiff {
  id: string;
  a: unknown;
  b: unknown;
  reasonB?: string;
  scope: string;
  scenarios: readonly string[];
}

/** Knobs whose effective values differ between two profiles (unset = upstream default). */
export function diffProfiles(a: ResolvedProfile, b: ResolvedProfile): KnobDiff[] {
  const ids = new Set([...a.values.keys(), ...b.values.keys()]);
  return catalogue
    .filter((k) => ids.has(knobId(k)))
    .flatMap((knob) => {
      const id = knobId(knob);
      const va = a.values.get(id)?.value ?? knob.default;
      const vb = b.values.get(id)?.value ?? knob.default;
      if (JSON.stringify(normalise(knob.type, va)) === JSON.stringify(normalise(knob.type, vb)))
        return [];
      return [
        {
          id,
          a: va,
          b: vb,
          reasonB: b.values.get(id)?.reason,
          scope: knob.scope,
          scenarios: knob.scenarios,
        },
      ];
    });
}
