import type { KubeConfig } from '@kubernetes/client-node';
import type { EffectiveConfigEntry } from '../../../harness/profiles/index.ts';
import {
  desiredConfig,
  observeConfig,
  type ResolvedProfile,
  type renderProfile,
  summariseEffectiveConfig,
} from '../../../harness/profiles/index.ts';
import { log } from '../../../harness/util/log.ts';
import { getRaw } from '../../kube.ts';
import { makeObserver } from '../../readback.ts';
import type { KindNode } from '../node.ts';

/** The profile's knobs as the running components report them (see clusters/readback.ts). */
export async function readBack(
  profile: ResolvedProfile,
  rendered: ReturnType<typeof renderProfile>,
  nodes: readonly KindNode[],
  kc: KubeConfig,
): Promise<EffectiveConfigEntry[]> {
  const desired = desiredConfig(
    profile,
    rendered,
    nodes.map((n) => n.name),
  );
  return readBackEntries(profile, desired, nodes, kc);
}

/** Reads back the given desired entries (a fresh bring-up's, or those a snapshot recorded). */
export async function readBackEntries(
  profile: ResolvedProfile,
  desired: readonly EffectiveConfigEntry[],
  nodes: readonly KindNode[],
  kc: KubeConfig,
): Promise<EffectiveConfigEntry[]> {
  const observer = makeObserver({ nodes, getRaw: (path) => getRaw(kc, path) });
  const entries = await observeConfig(desired, profile, observer);
  const counts = summariseEffectiveConfig(entries);
  log.info(
    `Effective config: ${counts.applied} applied, ${counts.differs} differ, ${counts['not-applicable']} not applicable, ${counts.unverified} unverified`,
  );
  for (const e of entries.filter((x) => x.status === 'differs'))
    log.warn(
      `${e.component}.${e.key}${e.node ? ` on ${e.node}` : ''}: desired ${JSON.stringify(e.desired)}, observed ${JSON.stringify(e.observed)}`,
    );
  const podsDiffer = entries.filter((x) => x.inPods?.status === 'differs');
  if (podsDiffer.length > 0) {
    const keys = [...new Set(podsDiffer.map((e) => `${e.component}.${e.key}`))];
    log.warn(
      `${keys.length} per-node knobs apply to the node but not to its pods (own network namespace or process limits): ${keys.join(', ')}; see inPods in effective-config`,
    );
  }
  return entries;
}
