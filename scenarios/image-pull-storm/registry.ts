/**
 * The storm's registry: a container on the cluster's own Docker network with a fixed address
 * (.5 of the cluster subnet: the gateway is .1, nodes start at .10), its API published on
 * 127.0.0.1 for the host to push, labelled with the cluster's owner labels so the cluster's
 * removal and `tuneproof clean` find it. Nodes pull from it over plain HTTP through a
 * containerd hosts.toml; optional caps on what it sends (TBF in all, HTB per connection) stand
 * for a slower registry.
 */
import type { HostConfig } from 'dockerode';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { docker } from '../../clusters/docker.ts';
import { CONTAINERD_CERTS_D } from '../../clusters/images/containerd-config.ts';
import { labelKeys, ownerLabels } from '../../clusters/labels.ts';
import type { Cluster, NodeHandle } from '../../clusters/provider.ts';
import { TuneproofError } from '../../harness/errors.ts';
import { cleanup, type Undo } from '../../harness/util/cleanup.ts';
import { log } from '../../harness/util/log.ts';
import { waitFor } from '../../harness/util/wait-for.ts';
import { RegistryClient } from './registry-client.ts';

export const REGISTRY_PORT = 5000;

/** The cluster's Docker network (clusters/kind/plan.ts names it) and the registry's address on it. */
export async function registryAddress(cluster: Cluster): Promise<{ network: string; ip: string }> {
  const network = `tuneproof-${cluster.name}`;
  const info = await (await docker()).getNetwork(network).inspect();
  const subnet: string | undefined = info.IPAM?.Config?.[0]?.Subnet;
  if (!subnet) throw new TuneproofError(`network ${network} has no subnet`);
  const prefix = subnet.split('/')[0]!.split('.').slice(0, 3).join('.');
  return { network, ip: `${prefix}.5` };
}

class RegistryContainer extends GenericContainer {
  readonly #network: string;
  readonly #ip: string;

  constructor(image: string, network: string, ip: string) {
    super(image);
    this.#network = network;
    this.#ip = ip;
    this.withNetworkMode(network);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    const host: HostConfig = this.hostConfig;
    // published on loopback only: the host pushes through 127.0.0.1, nothing else reaches it
    const port = `${REGISTRY_PORT}/tcp`;
    this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, [port]: {} };
    host.PortBindings = { ...host.PortBindings, [port]: [{ HostIp: '127.0.0.1', HostPort: '0' }] };
    // the image declares VOLUME /var/lib/registry: removed with the container
    this.createOpts.NetworkingConfig = {
      EndpointsConfig: { [this.#network]: { IPAMConfig: { IPv4Address: this.#ip } } },
    };
  }
}

export interface StartedRegistry {
  /** host:port the nodes pull from, e.g. 172.30.3.5:5000. */
  host: string;
  /** Client on the host, through 127.0.0.1. */
  client: RegistryClient;
  containerId: string;
  /** Removes the container (registered on the cleanup stack before it started). */
  removal: Undo;
}

/** Start the registry and wait until its API answers on 127.0.0.1. */
export async function startRegistry(
  cluster: Cluster,
  image: string,
  signal?: AbortSignal,
): Promise<StartedRegistry> {
  const { network, ip } = await registryAddress(cluster);
  const name = `${cluster.name}-registry`;
  const removal = cleanup.push(`remove registry ${name}`, async () => {
    await (await docker())
      .getContainer(name)
      .remove({ force: true, v: true })
      .catch((e: { statusCode?: number }) => {
        if (e.statusCode !== 404) throw e;
      });
    log.info(`Removed registry ${name}`);
  });
  const started: StartedTestContainer = await log.step(
    `Starting registry ${name} at ${ip}:${REGISTRY_PORT}`,
    `Registry ${name} up`,
    () =>
      new RegistryContainer(image, network, ip)
        .withName(name)
        .withLabels({
          ...ownerLabels(cluster.runId, cluster.name),
          [labelKeys.role]: 'registry',
        })
        .start(),
  );
  const info = await (await docker()).getContainer(started.getId()).inspect();
  const hostPort = info.NetworkSettings.Ports?.[`${REGISTRY_PORT}/tcp`]?.[0]?.HostPort;
  if (!hostPort) throw new TuneproofError(`registry ${name}: port ${REGISTRY_PORT} not published`);
  const client = new RegistryClient(`http://127.0.0.1:${hostPort}`);
  await waitFor(
    `registry ${name} to answer on 127.0.0.1:${hostPort}`,
    { timeoutMs: 60_000, intervalMs: 250, signal },
    async () => ((await client.ping(signal)) ? true : { pending: 'no answer' }),
  );
  return { host: `${ip}:${REGISTRY_PORT}`, client, containerId: started.getId(), removal };
}

/** containerd's hosts.toml that sends pulls for `host` to it over plain HTTP. */
export function hostsToml(host: string): string {
  return [
    '# written by tuneproof image-pull-storm: the storm registry, plain HTTP on the cluster network',
    `server = "http://${host}"`,
    '',
    `[host."http://${host}"]`,
    '  capabilities = ["pull", "resolve"]',
    '',
  ].join('\n');
}

/**
 * Point each node's containerd at the registry. containerd's CRI plugin reads `config_path`
 * host directories on every pull (it builds a resolver per pull), so no restart is needed.
 */
export async function configureNodes(nodes: readonly NodeHandle[], host: string): Promise<void> {
  const dir = `${CONTAINERD_CERTS_D}/${host}`;
  await Promise.all(
    nodes.map((n) =>
      n.exec(['sh', '-c', `mkdir -p '${dir}' && cat > '${dir}/hosts.toml'`], {
        input: hostsToml(host),
      }),
    ),
  );
}

/** Caps on what the registry sends (its egress: the layers the nodes pull). 0: no cap. */
export interface RegistryShaping {
  /** Total, over all connections (a TBF qdisc). */
  bandwidthMbit: number;
  /** Per connection (HTB classes that connections are hashed into by client port). */
  connectionMbit: number;
}

/** Hash buckets for per-connection caps: concurrent connections rarely share one. */
export const CONNECTION_BUCKETS = 64;

/** A TBF burst of ~4 ms at `mbit` (at least 32 KiB, so a busy host's timer slack does not starve it). */
const burstBytes = (mbit: number): number =>
  Math.max(32 * 1024, Math.round((mbit * 1e6) / 8 / 250));

/**
 * The shell script (tc commands) that shapes the registry's eth0, or undefined for no caps.
 *
 * Total cap only: one TBF qdisc. With a per-connection cap: an HTB tree whose parent class
 * carries the total cap (or 10 Gbit), with one child class per hash bucket, each capped at the
 * per-connection rate; a u32 filter hashes TCP packets by bits 1-6 of the destination (the
 * node's ephemeral) port into the buckets (bit 0 is skipped: Linux hands out connect() ports in
 * steps of two). Children have a token guaranteed rate so that everything above it is borrowed
 * from the parent, which the total cap bounds. The u32 offset 20 assumes IPv4 headers without
 * options, which is what the nodes send. No netem or fq here: the host kernel has HTB and TBF
 * only.
 */
export function shapingScript(s: RegistryShaping, dev = 'eth0'): string | undefined {
  if (s.connectionMbit <= 0 && s.bandwidthMbit <= 0) return undefined;
  const lines = ['set -e', `tc qdisc del dev ${dev} root 2>/dev/null || true`];
  if (s.connectionMbit <= 0) {
    lines.push(
      `tc qdisc add dev ${dev} root tbf rate ${s.bandwidthMbit}mbit burst ${burstBytes(s.bandwidthMbit)} latency 200ms`,
    );
    return `${lines.join('\n')}\n`;
  }
  const total = s.bandwidthMbit > 0 ? `${s.bandwidthMbit}mbit` : '10gbit';
  const hex = (n: number) => n.toString(16);
  const burst = `burst ${burstBytes(s.connectionMbit)} cburst ${burstBytes(s.connectionMbit)}`;
  lines.push(
    `tc qdisc add dev ${dev} root handle 1: htb default 2`,
    `tc class add dev ${dev} parent 1: classid 1:1 htb rate ${total} ceil ${total} quantum 60000`,
    `tc class add dev ${dev} parent 1:1 classid 1:2 htb rate 1mbit ceil ${total} quantum 60000`,
  );
  for (let i = 0; i < CONNECTION_BUCKETS; i++)
    lines.push(
      `tc class add dev ${dev} parent 1:1 classid 1:${hex(0x100 + i)} htb rate 100kbit ceil ${s.connectionMbit}mbit ${burst} quantum 60000`,
    );
  lines.push(
    `tc filter add dev ${dev} parent 1: prio 1 handle 2: protocol ip u32 divisor ${CONNECTION_BUCKETS}`,
  );
  for (let i = 0; i < CONNECTION_BUCKETS; i++)
    lines.push(
      `tc filter add dev ${dev} parent 1: prio 1 protocol ip u32 ht 2:${hex(i)}: match u32 0 0 flowid 1:${hex(0x100 + i)}`,
    );
  const mask = ((CONNECTION_BUCKETS - 1) << 1).toString(16).padStart(8, '0');
  lines.push(
    `tc filter add dev ${dev} parent 1: prio 1 protocol ip u32 ht 800:: match ip protocol 6 0xff hashkey mask 0x${mask} at 20 link 2:`,
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Shape what the registry sends. The registry image has no tc, so a short-lived helper
 * container joins its network namespace with NET_ADMIN and runs the script with `toolImage`'s
 * tc (the node image has iproute2). The qdiscs go away with the registry's network namespace.
 */
export async function shapeRegistry(
  cluster: Cluster,
  registryId: string,
  toolImage: string,
  shaping: RegistryShaping,
): Promise<void> {
  const script = shapingScript(shaping);
  if (!script) return;
  const d = await docker();
  const helper = await d.createContainer({
    Image: toolImage,
    Entrypoint: ['sh', '-c'],
    Cmd: [script],
    Labels: { ...ownerLabels(cluster.runId, cluster.name), [labelKeys.role]: 'registry-tc' },
    HostConfig: { NetworkMode: `container:${registryId}`, CapAdd: ['NET_ADMIN'] },
  });
  try {
    await helper.start();
    const { StatusCode } = (await helper.wait()) as { StatusCode: number };
    if (StatusCode !== 0) {
      const out = (await helper.logs({ stdout: true, stderr: true })).toString('utf8');
      throw new TuneproofError(`tc on the registry failed (exit ${StatusCode}): ${out.trim()}`);
    }
  } finally {
    await helper.remove({ force: true });
  }
}

/** The image a node container runs (it has tc), for helpers. */
export async function nodeImageOf(cluster: Cluster): Promise<string> {
  const d = await docker();
  const containers = await d.listContainers({
    filters: { label: [`${labelKeys.cluster}=${cluster.name}`, `${labelKeys.role}=worker`] },
  });
  const image = containers[0]?.Image;
  if (!image) throw new TuneproofError(`no worker container of cluster ${cluster.name}`);
  return image;
}
