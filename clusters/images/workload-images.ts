/**
 * Images the scenarios run inside clusters, built locally:
 *
 * - `tuneproof/canary`: agnhost (Kubernetes' own e2e test server), FROM scratch. Default
 *   command `netexec --http-port=8080` (/hostname, /echo, /healthz ...); `serve-hostname` and
 *   the other agnhost subcommands are one `args:` away.
 * - `tuneproof/proxy`: HAProxy from Debian, the L7 proxy in front of the canary, configured at
 *   run time from environment variables (image-files/proxy-entrypoint says which). HAProxy
 *   rather than nginx-light: it resolves a headless Service into servers at run time, health-
 *   checks them, and exports Prometheus metrics without modules.
 * - `tuneproof/nginx`: nginx from Debian, the other L7 proxy variant, set up as ingress-nginx
 *   sets up its nginx (image-files/nginx-entrypoint), on a rootfs of its own (NGINX_ROOTFS).
 * - `tuneproof/registry`: Debian's docker-registry (distribution 2.8) for pull storms.
 *
 * The proxy and registry share the Debian workload rootfs with kube-proxy, so loaded into a
 * node they add only their own small layers.
 */
import { join } from 'node:path';
import { type BuildResult, buildImage, type ImageRecipe, KIND_LABEL } from './docker-image.ts';
import type { RootfsImage } from './rootfs.ts';
import { AGNHOST_VERSION } from './versions.ts';

const imageFiles = join(import.meta.dirname, 'image-files');
const PATH_ENV = 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export type WorkloadImageName = 'canary' | 'proxy' | 'nginx' | 'registry';

export interface WorkloadImageBuild extends BuildResult {
  name: WorkloadImageName;
}

/** Upstream part of a Debian version (`1:3.0.11-1+deb13u4` -> `3.0.11`), usable as a tag. */
export function debianUpstreamVersion(version: string | undefined): string {
  if (!version) return 'unknown';
  const noEpoch = version.includes(':') ? version.slice(version.indexOf(':') + 1) : version;
  const upstream = noEpoch.replace(/[-+~].*$/, '');
  return upstream.replace(/[^A-Za-z0-9_.-]/g, '_') || 'unknown';
}

export function canaryRecipe(agnhost: string): ImageRecipe {
  return {
    tag: `tuneproof/canary:${AGNHOST_VERSION}`,
    dockerfile: [
      'FROM scratch',
      'COPY agnhost /agnhost',
      // agnhost's netexec writes uploads to /tmp; scratch has none.
      'COPY tmp/ /tmp/',
      'EXPOSE 8080',
      'ENTRYPOINT ["/agnhost"]',
      'CMD ["netexec", "--http-port=8080"]',
      '',
    ].join('\n'),
    files: [
      { path: 'agnhost', source: agnhost, mode: 0o755 },
      { path: 'tmp/.keep', content: '' },
    ],
    labels: { [KIND_LABEL]: 'workload' },
  };
}

export function proxyRecipe(rootfs: RootfsImage): ImageRecipe {
  return {
    tag: `tuneproof/proxy:${debianUpstreamVersion(rootfs.rootfs.packages.haproxy)}`,
    dockerfile: [
      `FROM ${rootfs.id}`,
      'COPY proxy-entrypoint /usr/local/bin/proxy-entrypoint',
      PATH_ENV,
      'EXPOSE 8080 8404',
      'ENTRYPOINT ["/usr/local/bin/proxy-entrypoint"]',
      '',
    ].join('\n'),
    files: [
      { path: 'proxy-entrypoint', source: join(imageFiles, 'proxy-entrypoint'), mode: 0o755 },
    ],
    labels: { [KIND_LABEL]: 'workload' },
  };
}

export function nginxRecipe(rootfs: RootfsImage): ImageRecipe {
  return {
    tag: `tuneproof/nginx:${debianUpstreamVersion(rootfs.rootfs.packages.nginx)}`,
    dockerfile: [
      `FROM ${rootfs.id}`,
      'COPY nginx-entrypoint /usr/local/bin/nginx-entrypoint',
      PATH_ENV,
      'EXPOSE 8080',
      'ENTRYPOINT ["/usr/local/bin/nginx-entrypoint"]',
      '',
    ].join('\n'),
    files: [
      { path: 'nginx-entrypoint', source: join(imageFiles, 'nginx-entrypoint'), mode: 0o755 },
    ],
    labels: { [KIND_LABEL]: 'workload' },
  };
}

export function registryRecipe(rootfs: RootfsImage): ImageRecipe {
  return {
    tag: `tuneproof/registry:${debianUpstreamVersion(rootfs.rootfs.packages['docker-registry'])}`,
    dockerfile: [
      `FROM ${rootfs.id}`,
      'COPY registry.yml /etc/tuneproof/registry.yml',
      PATH_ENV,
      'VOLUME /var/lib/registry',
      'EXPOSE 5000 5001',
      'ENTRYPOINT ["/usr/bin/docker-registry", "serve", "/etc/tuneproof/registry.yml"]',
      '',
    ].join('\n'),
    files: [{ path: 'registry.yml', source: join(imageFiles, 'registry.yml') }],
    labels: { [KIND_LABEL]: 'workload' },
  };
}

/** Build (or find up to date) the workload images. */
export async function buildWorkloadImages(opts: {
  agnhost: string;
  workloadRootfs: RootfsImage;
  nginxRootfs: RootfsImage;
  force?: boolean;
}): Promise<WorkloadImageBuild[]> {
  const recipes: [WorkloadImageName, ImageRecipe][] = [
    ['canary', canaryRecipe(opts.agnhost)],
    ['proxy', proxyRecipe(opts.workloadRootfs)],
    ['nginx', nginxRecipe(opts.nginxRootfs)],
    ['registry', registryRecipe(opts.workloadRootfs)],
  ];
  const out: WorkloadImageBuild[] = [];
  for (const [name, recipe] of recipes) {
    out.push({ ...(await buildImage(recipe, { force: opts.force })), name });
  }
  return out;
}
