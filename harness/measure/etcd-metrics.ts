import type { NodeHandle } from '../../clusters/provider.ts';
import { httpBody } from '../../clusters/readback.ts';
import { parseScrape, type Scrape } from './prometheus.ts';

/**
 * etcd's own /metrics. kubeadm has etcd serve metrics on http://127.0.0.1:2381 inside the
 * control-plane node; the node has bash's /dev/tcp but no curl, so the request is written by
 * hand (HTTP/1.0: the server closes the connection after the body).
 */
export async function scrapeEtcd(controlPlane: NodeHandle, port = 2381): Promise<Scrape> {
  const r = await controlPlane.exec(
    [
      'bash',
      '-c',
      `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET /metrics HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3`,
    ],
    { timeoutMs: 30_000 },
  );
  return parseScrape(httpBody(r.stdout));
}
