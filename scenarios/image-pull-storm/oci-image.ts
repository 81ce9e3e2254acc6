/**
 * Storm images: OCI images made in memory, each a shared base (the node's own pause image, so
 * the container has something to run and the base is never pulled) plus `layers` layers of
 * fresh random bytes, distinct per image. tar-stream writes the layer tarballs; the OCI
 * structures (descriptors, config, manifest) are a few JSON objects, written here because no
 * maintained npm library builds OCI images.
 *
 * Random bytes do not compress, so a gzip layer is as large as its tarball. gzip layers are
 * made with deflate level 0 (stored blocks): on random data every level yields the same size,
 * and level 0 costs the host no CPU (zlib's level 1 manages ~10 MB/s of random data here). The
 * node still runs a real gunzip (CRC32 and copy) per layer, like any image from a registry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

export const mediaTypes = {
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  index: 'application/vnd.oci.image.index.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layerTar: 'application/vnd.oci.image.layer.v1.tar',
  layerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerTar: 'application/vnd.docker.image.rootfs.diff.tar',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export type LayerCompression = 'gzip' | 'none';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** Bytes with their descriptor. */
export interface Blob extends Descriptor {
  data: Buffer;
}

export interface OciManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The parts of an image config the storm images copy from their base. */
export interface ImageConfig {
  architecture: string;
  os: string;
  config?: Record<string, unknown>;
  rootfs: { type: 'layers'; diff_ids: string[] };
  history?: Record<string, unknown>[];
  created?: string;
}

/** A base image: its config and layers as blobs, ready to push beside each storm image. */
export interface BaseImage {
  config: ImageConfig;
  layers: Blob[];
}

export interface StormImage {
  repository: string;
  tag: string;
  manifest: Blob;
  config: Blob;
  /** Base layers first, then the image's own random layers. */
  layers: Blob[];
  /** Bytes of the image's own (random) layers, as stored in the registry. */
  randomBytes: number;
}

export const sha256 = (data: Buffer): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

export function blobOf(mediaType: string, data: Buffer): Blob {
  return { mediaType, digest: sha256(data), size: data.length, data };
}

const descriptor = (b: Descriptor): Descriptor => ({
  mediaType: b.mediaType,
  digest: b.digest,
  size: b.size,
});

/** Docker's layer media types as their OCI equivalents (same bytes, same digest). */
export function ociLayerType(mediaType: string): string {
  if (mediaType === mediaTypes.dockerLayerTar) return mediaTypes.layerTar;
  if (mediaType === mediaTypes.dockerLayerGzip) return mediaTypes.layerGzip;
  return mediaType;
}

/** A tarball holding one regular file (and its parent directories). */
export async function singleFileTar(path: string, content: Buffer): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', resolve);
    p.on('error', reject);
  });
  // a fixed mtime: the same content gives the same tarball
  const mtime = new Date(0);
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    p.entry({ name: `${parts.slice(0, i).join('/')}/`, type: 'directory', mode: 0o755, mtime });
  }
  p.entry({ name: path, type: 'file', mode: 0o644, size: content.length, mtime }, content);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

export interface GeneratedLayer {
  blob: Blob;
  /** sha256 of the uncompressed tarball: the config's rootfs.diff_ids entry. */
  diffId: string;
}

/** One layer: a tarball with `content` at `path`, gzip (stored blocks) or plain. */
export async function makeLayer(
  path: string,
  content: Buffer,
  compression: LayerCompression,
): Promise<GeneratedLayer> {
  const tar = await singleFileTar(path, content);
  const diffId = sha256(tar);
  if (compression === 'none') return { blob: blobOf(mediaTypes.layerTar, tar), diffId };
  return { blob: blobOf(mediaTypes.layerGzip, gzipSync(tar, { level: 0 })), diffId };
}

export interface StormImageSpec {
  repository: string;
  tag: string;
  /** Random layers on top of the base. */
  layers: number;
  layerBytes: number;
  compression: LayerCompression;
  base: BaseImage;
  /** Source of the random bytes (injectable for tests). */
  random?: (n: number) => Buffer;
}

/** Build one storm image: base layers, then `layers` layers of distinct random bytes. */
export async function makeStormImage(spec: StormImageSpec): Promise<StormImage> {
  const random = spec.random ?? randomBytes;
  const own: GeneratedLayer[] = [];
  const name = spec.repository.replace(/[^a-z0-9]+/g, '-');
  for (let i = 0; i < spec.layers; i++) {
    own.push(
      await makeLayer(`storm/${name}/layer-${i}.bin`, random(spec.layerBytes), spec.compression),
    );
  }
  const baseConfig = spec.base.config;
  const config: ImageConfig = {
    ...baseConfig,
    created: new Date().toISOString(),
    rootfs: {
      type: 'layers',
      diff_ids: [...baseConfig.rootfs.diff_ids, ...own.map((l) => l.diffId)],
    },
    history: [
      ...(baseConfig.history ?? []),
      ...own.map((_, i) => ({ created_by: `tuneproof image-pull-storm: random layer ${i}` })),
    ],
  };
  const configBlob = blobOf(mediaTypes.config, Buffer.from(JSON.stringify(config)));
  const layers: Blob[] = [
    ...spec.base.layers.map((l) => ({ ...l, mediaType: ociLayerType(l.mediaType) })),
    ...own.map((l) => l.blob),
  ];
  const manifest: OciManifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.manifest,
    config: descriptor(configBlob),
    layers: layers.map(descriptor),
  };
  return {
    repository: spec.repository,
    tag: spec.tag,
    manifest: blobOf(mediaTypes.manifest, Buffer.from(JSON.stringify(manifest))),
    config: configBlob,
    layers,
    randomBytes: own.reduce((a, l) => a + l.blob.size, 0),
  };
}
