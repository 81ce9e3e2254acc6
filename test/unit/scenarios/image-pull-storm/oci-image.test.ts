import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import test from 'ava';
import { pack } from 'tar-stream';
import { readImageLayout, untar } from '../../../../scenarios/image-pull-storm/base-image.ts';
import {
  type BaseImage,
  blobOf,
  makeLayer,
  makeStormImage,
  mediaTypes,
  type OciManifest,
  ociLayerType,
  sha256,
} from '../../../../scenarios/image-pull-storm/oci-image.ts';

const hex = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Deterministic "random" bytes: a counter hashed, so tests can tell layers apart. */
function fakeRandom(): (n: number) => Buffer {
  let seed = 0;
  return (n) => {
    const out = Buffer.alloc(n);
    for (let at = 0; at < n; at += 32) {
      createHash('sha256').update(String(seed++)).digest().copy(out, at);
    }
    return out;
  };
}

async function fakeBase(): Promise<BaseImage> {
  const layer = await makeLayer('pause', Buffer.from('#!/bin/true\n'), 'none');
  return {
    config: {
      architecture: 'amd64',
      os: 'linux',
      config: { Entrypoint: ['/pause'] },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    },
    // as ctr exports a docker-saved image: Docker's media type
    layers: [{ ...layer.blob, mediaType: mediaTypes.dockerLayerTar }],
  };
}

for (const compression of ['gzip', 'none'] as const) {
  test(`a ${compression} storm image is a valid OCI image whose digests match its bytes`, async (t) => {
    const base = await fakeBase();
    const img = await makeStormImage({
      repository: 'storm/image-0',
      tag: 'v1',
      layers: 3,
      layerBytes: 100_000,
      compression,
      base,
      random: fakeRandom(),
    });
    const manifest = JSON.parse(img.manifest.data.toString('utf8')) as OciManifest;
    t.is(img.manifest.digest, `sha256:${hex(img.manifest.data)}`);
    t.is(img.manifest.mediaType, mediaTypes.manifest);
    t.is(manifest.schemaVersion, 2);
    t.is(manifest.mediaType, mediaTypes.manifest);
    t.deepEqual(manifest.config, {
      mediaType: mediaTypes.config,
      digest: `sha256:${hex(img.config.data)}`,
      size: img.config.data.length,
    });
    t.is(manifest.layers.length, 4);
    for (const [i, d] of manifest.layers.entries()) {
      const blob = img.layers[i]!;
      t.is(d.digest, `sha256:${hex(blob.data)}`);
      t.is(d.size, blob.data.length);
      t.is(d.mediaType, blob.mediaType);
    }
    // the base layer keeps its bytes and digest, with the OCI name of its media type
    t.is(manifest.layers[0]!.mediaType, mediaTypes.layerTar);
    t.is(manifest.layers[0]!.digest, base.layers[0]!.digest);
    const own = manifest.layers.slice(1);
    t.true(
      own.every(
        (l) =>
          l.mediaType === (compression === 'gzip' ? mediaTypes.layerGzip : mediaTypes.layerTar),
      ),
    );

    // diff_ids are the digests of the uncompressed tarballs; each holds one file of random bytes
    const config = JSON.parse(img.config.data.toString('utf8'));
    t.is(config.architecture, 'amd64');
    t.deepEqual(config.config, { Entrypoint: ['/pause'] });
    t.is(config.rootfs.diff_ids.length, 4);
    t.is(config.rootfs.diff_ids[0], base.config.rootfs.diff_ids[0]);
    const contents = new Set<string>();
    for (const [i, blob] of img.layers.slice(1).entries()) {
      const tar = compression === 'gzip' ? gunzipSync(blob.data) : blob.data;
      t.is(config.rootfs.diff_ids[i + 1], `sha256:${hex(tar)}`);
      const files = await untar(tar);
      const file = files.get(`storm/storm-image-0/layer-${i}.bin`);
      t.truthy(file);
      t.is(file!.length, 100_000);
      contents.add(hex(file!));
    }
    t.is(contents.size, 3, 'every layer has its own bytes');
    // random bytes do not compress: the gzip layer is about as large as the tarball
    t.true(img.randomBytes >= 3 * 100_000);
    t.true(img.randomBytes < 3 * 100_000 * 1.01 + 3 * 2048);
  });
}

test('two storm images share only the base layer', async (t) => {
  const base = await fakeBase();
  const random = fakeRandom();
  const spec = {
    tag: 'v1',
    layers: 2,
    layerBytes: 4096,
    compression: 'gzip' as const,
    base,
    random,
  };
  const a = await makeStormImage({ ...spec, repository: 'storm/a' });
  const b = await makeStormImage({ ...spec, repository: 'storm/b' });
  const digests = (i: typeof a) => new Set(i.layers.map((l) => l.digest));
  const shared = [...digests(a)].filter((d) => digests(b).has(d));
  t.deepEqual(shared, [base.layers[0]!.digest]);
});

test('Docker layer media types map to their OCI twins; others pass through', (t) => {
  t.is(ociLayerType(mediaTypes.dockerLayerGzip), mediaTypes.layerGzip);
  t.is(ociLayerType(mediaTypes.dockerLayerTar), mediaTypes.layerTar);
  t.is(ociLayerType(mediaTypes.layerGzip), mediaTypes.layerGzip);
});

/** An OCI layout tarball as `ctr images export` writes it: index -> (index ->) manifest. */
async function layoutTar(files: Record<string, Buffer>): Promise<Buffer> {
  const p = pack();
  const chunks: Buffer[] = [];
  const done = new Promise<void>((resolve) => {
    p.on('data', (c: unknown) => chunks.push(c as Buffer));
    p.on('end', resolve);
  });
  for (const [name, data] of Object.entries(files)) p.entry({ name, size: data.length }, data);
  p.finalize();
  await done;
  return Buffer.concat(chunks);
}

test('readImageLayout follows a multi-platform index to the manifest of the asked architecture', async (t) => {
  const base = await fakeBase();
  const layer = base.layers[0]!;
  const config = blobOf(mediaTypes.config, Buffer.from(JSON.stringify(base.config)));
  const other = blobOf(mediaTypes.config, Buffer.from('{"architecture":"arm64"}'));
  const manifest = (c: typeof config) =>
    blobOf(
      mediaTypes.manifest,
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: mediaTypes.manifest,
          config: { mediaType: c.mediaType, digest: c.digest, size: c.size },
          layers: [{ mediaType: layer.mediaType, digest: layer.digest, size: layer.size }],
        }),
      ),
    );
  const amd = manifest(config);
  const arm = manifest(other);
  const nested = blobOf(
    mediaTypes.index,
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: mediaTypes.index,
        manifests: [
          {
            mediaType: arm.mediaType,
            digest: arm.digest,
            size: arm.size,
            platform: { architecture: 'arm64', os: 'linux' },
          },
          {
            mediaType: amd.mediaType,
            digest: amd.digest,
            size: amd.size,
            platform: { architecture: 'amd64', os: 'linux' },
          },
        ],
      }),
    ),
  );
  const blobPath = (d: string) => `blobs/${d.replace(':', '/')}`;
  const tar = await layoutTar({
    'oci-layout': Buffer.from('{"imageLayoutVersion":"1.0.0"}'),
    'index.json': Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ mediaType: nested.mediaType, digest: nested.digest, size: nested.size }],
      }),
    ),
    [blobPath(nested.digest)]: nested.data,
    [blobPath(amd.digest)]: amd.data,
    [blobPath(arm.digest)]: arm.data,
    [blobPath(config.digest)]: config.data,
    [blobPath(other.digest)]: other.data,
    [blobPath(layer.digest)]: layer.data,
  });
  const read = await readImageLayout(tar, 'amd64');
  t.deepEqual(read.config, base.config);
  t.is(read.layers.length, 1);
  t.is(read.layers[0]!.digest, layer.digest);
  t.is(read.layers[0]!.mediaType, mediaTypes.dockerLayerTar);
  t.is(sha256(read.layers[0]!.data), layer.digest);
  await t.throwsAsync(readImageLayout(await layoutTar({ x: Buffer.from('') }), 'amd64'), {
    message: /no index.json/,
  });
});
