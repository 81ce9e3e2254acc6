import { ConfigError, type Problem } from '../harness/errors.ts';
import { ExistingProvider } from './existing/provider.ts';
import type { ResolvedImages } from './images/index.ts';
import { KUBERNETES_VERSION } from './images/versions.ts';
import { RestoringProvider } from './kind/snapshot/index.ts';
import type { ClusterProvider } from './provider.ts';

/** Every provider's own options, as the CLI names them (`--kubeconfig`, `--context`). */
export interface ProviderOptions {
  /** existing: the kubeconfig file to read (named explicitly). */
  kubeconfig?: string;
  /** existing: the context in it (named explicitly; the current one is never implied). */
  context?: string;
  /** kind: bring clusters up with kubeadm instead of restoring a snapshot (docs/snapshots.md). */
  fresh?: boolean;
}

/** A provider by name: its options and how to open it. */
export interface ProviderPlugin {
  readonly name: string;
  readonly description: string;
  /** The options it takes; any other is refused. */
  readonly options: readonly (keyof ProviderOptions)[];
  /** The options it cannot do without. */
  readonly required: readonly (keyof ProviderOptions)[];
  /**
   * The provider, with its capabilities known (before any `create`). `images` resolves the
   * node and workload images on first call (it may build them): only providers that start
   * nodes call it.
   */
  open(opts: ProviderOptions, images: () => Promise<ResolvedImages>): Promise<ClusterProvider>;
}

const kind: ProviderPlugin = {
  name: 'kind',
  description: "fresh kind-style clusters of node containers on this machine's Docker",
  options: ['fresh'],
  required: [],
  async open(opts, images) {
    const resolved = await images();
    // TUNEPROOF_NODE_IMAGE overrides the node image alone (a kindest/node of another version...)
    const nodeImage = process.env.TUNEPROOF_NODE_IMAGE ?? resolved.nodeImage;
    // restored from snapshots only when asked (TUNEPROOF_RESTORE=1) until restore is measured
    return new RestoringProvider({
      nodeImage,
      kubernetesVersion: KUBERNETES_VERSION,
      images: resolved.records.map((r) =>
        r.role === 'node' && nodeImage !== r.ref ? { ...r, ref: nodeImage, digest: undefined } : r,
      ),
      fresh: opts.fresh ?? process.env.TUNEPROOF_RESTORE !== '1',
    });
  },
};

const existing: ProviderPlugin = {
  name: 'existing',
  description:
    'a running cluster named by --kubeconfig and --context; faults only on one tuneproof made (ownership marker, nodes here)',
  options: ['kubeconfig', 'context'],
  required: ['kubeconfig', 'context'],
  open: (opts) =>
    ExistingProvider.connect({ kubeconfig: opts.kubeconfig ?? '', context: opts.context ?? '' }),
};

/** Every provider by name: adding one is its folder plus a line here. */
export const providers: Readonly<Record<string, ProviderPlugin>> = Object.fromEntries(
  [kind, existing].map((p) => [p.name, p]),
);

export function providerNames(): string[] {
  return Object.keys(providers);
}

/**
 * The provider `name` with `opts`, checked first: an unknown name, an option it does not take
 * and one it needs but lacks are all reported at once, with the flag each is about.
 */
export async function openProvider(
  name: string,
  opts: ProviderOptions,
  images: () => Promise<ResolvedImages>,
): Promise<ClusterProvider> {
  const plugin = providers[name];
  const problems: Problem[] = [];
  if (!plugin)
    problems.push({
      path: '--provider',
      message: `unknown provider "${name}"; known: ${providerNames().join(', ')}`,
      severity: 'error',
    });
  else
    for (const key of Object.keys(opts) as (keyof ProviderOptions)[]) {
      if (opts[key] !== undefined && !plugin.options.includes(key))
        problems.push({
          path: `--${key}`,
          message: `the ${name} provider takes no --${key}${plugin.options.length ? ` (it takes ${plugin.options.map((o) => `--${o}`).join(', ')})` : ''}`,
          severity: 'error',
        });
    }
  for (const key of plugin?.required ?? [])
    if (!opts[key])
      problems.push({
        path: `--${key}`,
        message: `the ${name} provider needs --${key}`,
        severity: 'error',
      });
  if (problems.length) throw new ConfigError(`provider ${name}`, problems);
  return plugin!.open(opts, images);
}
