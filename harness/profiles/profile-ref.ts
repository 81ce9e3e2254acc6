import type { ProfileRef } from '../results/schema.ts';
import type { ResolvedProfile } from './profile-types.ts';

/** How a run records its profile: name, digest and the resolved values by knob id. */
export function profileRef(profile: ResolvedProfile): ProfileRef {
  return {
    name: profile.name,
    digest: profile.digest,
    values: Object.fromEntries([...profile.values].map(([id, v]) => [id, v.value])),
  };
}
