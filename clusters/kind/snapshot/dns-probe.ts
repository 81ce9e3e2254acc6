import dnsPacket from 'dns-packet';
import ipaddr from 'ipaddr.js';
import type { NodeHandle } from '../../provider.ts';

/** The n-th address of a CIDR (kubeadm puts the apiserver's Service at 1, cluster DNS at 10). */
export function nthAddress(cidr: string, n: number): string {
  const [net] = ipaddr.IPv4.parseCIDR(cidr);
  const bytes = net.toByteArray();
  const value = bytes.reduce((acc, b) => acc * 256 + b, 0) + n;
  return [24, 16, 8, 0].map((s) => Math.floor(value / 2 ** s) % 256).join('.');
}

/** A DNS query packet as a printf format of \xHH escapes (bash's printf writes NULs too). */
export function queryEscapes(name: string, id: number): string {
  const packet = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type: 'A', name }],
  });
  return [...packet].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** The A records of a response given as `od -tx1` output; throws on an error response. */
export function parseAnswer(odHex: string, id: number): string[] {
  const bytes = Buffer.from(odHex.replace(/\s+/g, ''), 'hex');
  if (bytes.length < 12) throw new Error(`no DNS answer (${bytes.length} bytes)`);
  const res = dnsPacket.decode(bytes);
  if (res.id !== id) throw new Error(`DNS answer for query ${res.id}, not ${id}`);
  // the low 4 bits of the flags are the response code (0: no error, 3: no such name)
  const rcode = (res.flags ?? 0) & 0x0f;
  if (rcode !== 0) throw new Error(`DNS answered with response code ${rcode}`);
  return (res.answers ?? [])
    .filter((a) => a.type === 'A')
    .map((a) => String((a as { data: unknown }).data));
}

/**
 * Asks cluster DNS, from inside a node, for `name` and returns its A records. The query goes to
 * the DNS Service's address, so kube-proxy's rules and CoreDNS are both on the path. The node
 * image has bash but no DNS client: bash's /dev/udp sends the packet, dd reads one datagram.
 * The packet goes out in one write (dd gathers it first): printf's output is line-buffered, and
 * the label length of "kubernetes" is 10, a newline, which would split it in two datagrams.
 * (Only traffic between the project's own containers: nothing leaves the machine.)
 */
export async function resolveInCluster(
  node: NodeHandle,
  dnsServer: string,
  name: string,
): Promise<string[]> {
  const id = 1 + Math.floor(Math.random() * 65000);
  const r = await node.exec(
    [
      'bash',
      '-c',
      `exec 3<>/dev/udp/${dnsServer}/53 && printf "$1" | dd bs=4096 count=1 iflag=fullblock >&3 2>/dev/null && timeout 3 dd bs=4096 count=1 <&3 2>/dev/null | od -An -v -tx1`,
      'dns-probe',
      queryEscapes(name, id),
    ],
    { allowFailure: true, timeoutMs: 10_000 },
  );
  return parseAnswer(r.stdout, id);
}
