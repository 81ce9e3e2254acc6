import type { RenderContext } from '../../harness/profiles/index.ts';
import { KUBERNETES_VERSION } from '../images/versions.ts';
import { kindNodeLayout } from './node-layout.ts';

const placeholderToken = 'abcdef.0123456789abcdef';

/**
 * A kind cluster's render context with placeholder addresses and token: what `profile render`
 * shows and what the existing provider compares a cluster against. Bring-up passes real ones.
 */
export function kindRenderContext(overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    kubernetesVersion: KUBERNETES_VERSION,
    clusterName: 'tuneproof',
    nodes: [
      { name: 'control-plane', role: 'control-plane', ip: '172.30.0.10' },
      { name: 'worker', role: 'worker', ip: '172.30.0.11' },
      { name: 'worker2', role: 'worker', ip: '172.30.0.12' },
    ],
    podSubnet: '10.244.0.0/16',
    serviceSubnet: '10.96.0.0/16',
    apiServerPort: 6443,
    certSANs: ['localhost', '127.0.0.1'],
    bootstrapToken: placeholderToken,
    criSocket: 'unix:///run/containerd/containerd.sock',
    dnsUpstream: '172.30.0.1',
    layout: kindNodeLayout,
    ...overrides,
  };
}
