/**
 * The storm images' base: the node's own sandbox (pause) image, exported from a node's
 * containerd. Every node already has it (it runs every pod sandbox), so the base layer is never
 * pulled, only the random layers are; and its entrypoint gives each storm container a process
 * that runs until the pod is deleted. Taken from the node rather than from the host's Docker so
 * it works with any node image (tuneproof's or kindest/node).
 */
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import type { NodeHandle } from '../../clusters/provider.ts';
import { TuneproofError } from '../../harness/errors.ts';
import {
  type BaseImage,
  type Blob,
  blobOf,
  type ImageConfig,
  mediaTypes,
  type OciManifest,
} from './oci-image.ts';

/** Every file of a tarball, by name. */
export async function untar(tar: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const ex = extract();
  const done = (async () => {
    for await (const entry of ex) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      if (entry.header.type === 'file') files.set(entry.header.name, Buffer.concat(chunks));
    }
  })();
  Readable.from([tar]).pipe(ex);
  await done;
  return files;
}

interface IndexLike {
  mediaType?: string;
  manifests?: {
    mediaType: string;
    digest: string;
    platform?: { architecture: string; os: string };
  }[];
}

/**
 * The config and layers of the image for `architecture` in an OCI image layout tarball
 * (`ctr images export`): index.json, then a nested index if multi-platform, then the manifest.
 */
export async function readImageLayout(tar: Buffer, architecture: string): Promise<BaseImage> {
  const files = await untar(tar);
  const blob = (digest: string): Buffer => {
    const data = files.get(`blobs/${digest.replace(':', '/')}`);
    if (!data) throw new TuneproofError(`image layout has no blob ${digest}`);
    return data;
  };
  const indexJson = files.get('index.json');
  if (!indexJson) throw new TuneproofError('not an OCI image layout: no index.json');
  let index = JSON.parse(indexJson.toString('utf8')) as IndexLike;
  for (let depth = 0; depth < 4; depth++) {
    const entries = index.manifests ?? [];
    const chosen =
      entries.find(
        (m) =>
          !m.platform || (m.platform.architecture === architecture && m.platform.os === 'linux'),
      ) ?? entries[0];
    if (!chosen) throw new TuneproofError('image layout index lists no manifest');
    const doc = JSON.parse(blob(chosen.digest).toString('utf8')) as IndexLike & OciManifest;
    const type = doc.mediaType ?? chosen.mediaType;
    if (type === mediaTypes.index || type === mediaTypes.dockerManifestList) {
      index = doc;
      continue;
    }
    const config = JSON.parse(blob(doc.config.digest).toString('utf8')) as ImageConfig;
    const layers: Blob[] = doc.layers.map((l) => blobOf(l.mediaType, blob(l.digest)));
    return { config, layers };
  }
  throw new TuneproofError('image layout indexes nest too deep');
}

/** The image name containerd's CRI plugin uses for pod sandboxes on this node. */
export async function sandboxImageOf(node: NodeHandle): Promise<string> {
  const r = await node.exec(['crictl', 'info'], { timeoutMs: 30_000 });
  const info = JSON.parse(r.stdout) as { config?: { sandboxImage?: string } };
  const image = info.config?.sandboxImage;
  if (!image) throw new TuneproofError(`crictl info on ${node.name} names no sandbox image`);
  return image;
}

/** Export the node's sandbox image (through base64: node exec carries text). */
export async function exportSandboxImage(node: NodeHandle): Promise<BaseImage & { ref: string }> {
  const ref = await sandboxImageOf(node);
  const arch = (
    await node.exec(['sh', '-c', 'dpkg --print-architecture 2>/dev/null || uname -m'])
  ).stdout.trim();
  const architecture = arch === 'x86_64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : arch;
  const r = await node.exec(
    [
      'sh',
      '-c',
      `ctr -n k8s.io images export --platform linux/${architecture} - '${ref}' | base64 -w0`,
    ],
    { timeoutMs: 120_000 },
  );
  const base = await readImageLayout(Buffer.from(r.stdout.trim(), 'base64'), architecture);
  return { ...base, ref };
}
