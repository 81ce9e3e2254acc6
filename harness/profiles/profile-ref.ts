import { z } from 'zod';
import type { ResolvedProfile } from './profile-types.ts';

/** How a run records its profile: name, digest, resolved values. */
export const ProfileRef = z.object({
  name: z.string(),
  /** sha256 of the resolved profile values: two runs with equal digests ran the same profile. */
  digest: z.string(),
  /** Resolved knob values, `component.key` -> value. */
  values: z.record(z.string(), z.unknown()),
});
export type ProfileRef = z.infer<typeof ProfileRef>;

/** The ProfileRef of a resolved profile (values by knob id). */
export function profileRef(profile: ResolvedProfile): ProfileRef {
  return {
    name: profile.name,
    digest: profile.digest,
    values: Object.fromEntries([...profile.values].map(([id, v]) => [id, v.value])),
  };
}
