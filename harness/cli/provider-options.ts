import type { Command } from 'commander';
import { type ResolvedImages, resolveImages } from '../../clusters/images/index.ts';
import type { ClusterProvider } from '../../clusters/provider.ts';
import { openProvider, type ProviderOptions, providerNames } from '../../clusters/providers.ts';
import type { WorkloadImages } from '../scenario/types.ts';

/** The provider options as commander hands them over. */
export interface ProviderCliOptions extends ProviderOptions {
  provider: string;
}

/** `--provider`, `--kubeconfig` and `--context`, the same on every command that makes runs. */
export function addProviderOptions(command: Command, kubeconfigHelp?: string): Command {
  return command
    .option('--provider <name>', `cluster provider (${providerNames().join(', ')})`, 'kind')
    .option('--kubeconfig <file>', kubeconfigHelp ?? 'existing provider: the kubeconfig to read')
    .option('--context <name>', 'existing provider: the context to use (named explicitly)');
}

/**
 * The chosen provider, opened (its capabilities known), and the workload images scenarios run.
 * Images are resolved once, when first needed (the kind provider needs its node image).
 */
export async function providerFromOptions(
  opts: ProviderCliOptions,
): Promise<{ provider: ClusterProvider; images: () => Promise<WorkloadImages> }> {
  let resolved: Promise<ResolvedImages> | undefined;
  const images = () => {
    resolved ??= resolveImages();
    return resolved;
  };
  const provider = await openProvider(
    opts.provider,
    { kubeconfig: opts.kubeconfig, context: opts.context, fresh: opts.fresh },
    images,
  );
  return { provider, images: async () => (await images()).workloads };
}
