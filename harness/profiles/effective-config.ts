import { isDeepStrictEqual } from 'node:util';
import { knobId } from './catalogue-types.ts';
import type { EffectiveConfigEntry } from './effective-config-entry.ts';
import type { ResolvedProfile } from './profile-types.ts';
import type { RenderedCluster } from './render.ts';
import { normalise } from './values.ts';

/**
 * The effective-config record: for each knob the profile sets, the desired value, the value read
 * back from the running cluster, and whether it took. One entry per node for per-node knobs.
 * Host-global knobs are `not-applicable` from the start, with the reason.
 */
export function desiredConfig(
  profile: ResolvedProfile,
  rendered: RenderedCluster,
  nodeNames: readonly string[],
): EffectiveConfigEntry[] {
  const notApplied = new Map(rendered.notApplied.map((n) => [n.id, n.reason]));
  const entries: EffectiveConfigEntry[] = [];
  for (const [id, v] of [...profile.values.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const base = { component: v.knob.component, key: v.knob.key, desired: v.value };
    const reason = notApplied.get(id);
    if (reason || v.knob.scope === 'host-global') {
      entries.push({
        ...base,
        scope: 'host-global',
        status: 'not-applicable',
        note: reason ?? 'host-global: cannot differ per node',
      });
    } else if (v.knob.scope === 'per-node') {
      for (const node of nodeNames)
        entries.push({ ...base, scope: 'per-node', node, status: 'unverified' });
    } else {
      entries.push({ ...base, scope: 'cluster', status: 'unverified' });
    }
  }
  return entries;
}

/**
 * What a provider read back for one entry: a value, or why it could not be read; for a per-node
 * knob, also what the node's pods see (`inPods`) where that can differ.
 */
export type Observation =
  | { value: unknown; inPods?: PodObservation }
  | { unreadable: string; inPods?: PodObservation };
/** A per-node knob read in a pod: the value and where it was read, or why it could not be. */
export type PodObservation = { value: unknown; note: string } | { unreadable: string };

/**
 * Fills in observed values. `observe` is the provider's read-back (static pod command lines,
 * kubelet /configz, sysctl in the node's netns...). Values are compared in canonical form, so
 * "1m" and "1m0s" or 1500 and "1500" count as equal.
 */
export async function observeConfig(
  entries: readonly EffectiveConfigEntry[],
  profile: ResolvedProfile,
  observe: (entry: EffectiveConfigEntry) => Promise<Observation | undefined>,
): Promise<EffectiveConfigEntry[]> {
  const out: EffectiveConfigEntry[] = [];
  for (const entry of entries) {
    if (entry.status === 'not-applicable') {
      // still worth showing what the host has, where the provider can read it
      const o = await observe(entry);
      out.push(o && 'value' in o ? { ...entry, observed: o.value } : entry);
      continue;
    }
    const o = await observe(entry);
    if (!o) {
      out.push({ ...entry, status: 'unverified', note: 'no read-back for this knob' });
      continue;
    }
    const knob = profile.values.get(knobId(entry))?.knob;
    const same = (value: unknown) =>
      knob
        ? isDeepStrictEqual(normalise(knob.type, entry.desired), normalise(knob.type, value))
        : isDeepStrictEqual(entry.desired, value);
    const inPods: EffectiveConfigEntry['inPods'] = !o.inPods
      ? undefined
      : 'unreadable' in o.inPods
        ? { status: 'unverified', note: o.inPods.unreadable }
        : {
            observed: o.inPods.value,
            status: same(o.inPods.value) ? 'applied' : 'differs',
            note: o.inPods.note,
          };
    const withPods = inPods ? { inPods } : {};
    if ('unreadable' in o) {
      out.push({ ...entry, status: 'unverified', note: o.unreadable, ...withPods });
      continue;
    }
    out.push({
      ...entry,
      observed: o.value,
      status: same(o.value) ? 'applied' : 'differs',
      ...withPods,
    });
  }
  return out;
}

export function summariseEffectiveConfig(
  entries: readonly EffectiveConfigEntry[],
): Record<EffectiveConfigEntry['status'], number> {
  const counts = { applied: 0, differs: 0, 'not-applicable': 0, unverified: 0 };
  for (const e of entries) counts[e.status]++;
  return counts;
}
