/**
 * Pushes images to a registry over the OCI distribution API, from the host through the
 * registry's port published on 127.0.0.1. Only the few calls a push needs, written here (no npm
 * library pushes to a registry): HEAD a blob (already there?), POST an upload session and PUT
 * the whole blob to it with its digest (a monolithic upload), PUT the manifest under its tag.
 */
import { TuneproofError } from '../../harness/errors.ts';
import type { Blob, StormImage } from './oci-image.ts';

export class RegistryError extends TuneproofError {}

async function check(res: Response, expected: number[], what: string): Promise<Response> {
  if (expected.includes(res.status)) return res;
  const body = await res.text().catch(() => '');
  throw new RegistryError(`${what}: HTTP ${res.status} ${body.slice(0, 300)}`);
}

export class RegistryClient {
  /** e.g. http://127.0.0.1:32768 */
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  /** GET /v2/: the registry answers (200, or 401 for one that wants auth). */
  async ping(signal?: AbortSignal): Promise<boolean> {
    try {
      const res = await fetch(`${this.baseUrl}/v2/`, { signal });
      await res.arrayBuffer();
      return res.status === 200;
    } catch {
      return false;
    }
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await fetch(`${this.baseUrl}/v2/${repository}/blobs/${digest}`, { method: 'HEAD' });
    return res.status === 200;
  }

  async pushBlob(repository: string, blob: Blob): Promise<void> {
    if (await this.hasBlob(repository, blob.digest)) return;
    const what = `upload of ${blob.digest} to ${repository}`;
    const start = await check(
      await fetch(`${this.baseUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' }),
      [202],
      what,
    );
    await start.arrayBuffer();
    const location = start.headers.get('location');
    if (!location) throw new RegistryError(`${what}: no Location in the upload's answer`);
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', blob.digest);
    const put = await check(
      await fetch(url, {
        method: 'PUT',
        headers: {
          'content-type': 'application/octet-stream',
          'content-length': String(blob.size),
        },
        body: blob.data,
      }),
      [201],
      what,
    );
    await put.arrayBuffer();
  }

  /** PUT the manifest; the registry's digest must be ours (it stores the bytes as sent). */
  async pushManifest(repository: string, tag: string, manifest: Blob): Promise<void> {
    const what = `manifest ${repository}:${tag}`;
    const res = await check(
      await fetch(`${this.baseUrl}/v2/${repository}/manifests/${tag}`, {
        method: 'PUT',
        headers: { 'content-type': manifest.mediaType },
        body: manifest.data,
      }),
      [201],
      what,
    );
    await res.arrayBuffer();
    const digest = res.headers.get('docker-content-digest');
    if (digest && digest !== manifest.digest)
      throw new RegistryError(`${what}: registry says ${digest}, pushed ${manifest.digest}`);
  }

  /** Layers, then config, then the manifest (a registry refuses a manifest whose blobs are missing). */
  async pushImage(image: StormImage): Promise<void> {
    for (const layer of image.layers) await this.pushBlob(image.repository, layer);
    await this.pushBlob(image.repository, image.config);
    await this.pushManifest(image.repository, image.tag, image.manifest);
  }

  /**
   * Download a blob and time its transfer (from the response headers to the last byte, so the
   * request's own latency does not count), e.g. to check a bandwidth cap.
   */
  async timeBlobDownload(
    repository: string,
    digest: string,
  ): Promise<{ bytes: number; seconds: number }> {
    const res = await check(
      await fetch(`${this.baseUrl}/v2/${repository}/blobs/${digest}`),
      [200],
      `download of ${digest}`,
    );
    const t0 = performance.now();
    const bytes = (await res.arrayBuffer()).byteLength;
    return { bytes, seconds: (performance.now() - t0) / 1000 };
  }
}
