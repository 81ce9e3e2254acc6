import { cleanup, type Undo } from '../../harness/util/cleanup.ts';
import type { ExecResult } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { docker } from '../docker.ts';
import { type ContainerExecOptions, containerExec } from '../docker-exec.ts';
import type { NodeHandle, NodeRole } from '../provider.ts';

/**
 * A kind node: a container on the cluster's network. Its container-level faults register their
 * undo on the cleanup stack before they act, so a crash or Ctrl-C between the two still heals
 * the node.
 */
export class KindNode implements NodeHandle {
  readonly name: string;
  readonly role: NodeRole;
  readonly ip: string;
  readonly containerId: string;
  readonly #network: string;

  constructor(opts: {
    name: string;
    role: NodeRole;
    ip: string;
    containerId: string;
    network: string;
  }) {
    this.name = opts.name;
    this.role = opts.role;
    this.ip = opts.ip;
    this.containerId = opts.containerId;
    this.#network = opts.network;
  }

  exec(command: readonly string[], opts: ContainerExecOptions = {}): Promise<ExecResult> {
    return containerExec(this.containerId, command, { context: `on node ${this.name}`, ...opts });
  }

  async disconnect(): Promise<Undo> {
    const d = await docker();
    const network = d.getNetwork(this.#network);
    // Docker removes the interface, and the kernel every route through it (the routes to other
    // nodes' podCIDRs that install-cni added); the reconnected interface gets only its subnet and
    // default route back, so the routes are saved now and restored after the reconnect.
    const routes = (await this.exec(['ip', '-o', '-4', 'route', 'show'])).stdout
      .split('\n')
      .map((l) => l.match(/^(\S+) via (\S+)/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => `ip route replace ${m[1]} via ${m[2]}`);
    const undo = cleanup.push(`reconnect node ${this.name}`, async () => {
      await log.step(
        `Reconnecting node ${this.name} as ${this.ip}`,
        `Reconnected node ${this.name}`,
        async () => {
          await network.connect({
            Container: this.containerId,
            EndpointConfig: { IPAMConfig: { IPv4Address: this.ip } },
          });
          if (routes.length) await this.exec(['sh', '-c', routes.join(' && ')]);
        },
      );
    });
    await log.step(`Disconnecting node ${this.name}`, `Disconnected node ${this.name}`, () =>
      network.disconnect({ Container: this.containerId, Force: true }),
    );
    return undo;
  }

  async pause(): Promise<Undo> {
    const d = await docker();
    const container = d.getContainer(this.containerId);
    const undo = cleanup.push(`unpause node ${this.name}`, async () => {
      await container.unpause();
      log.info(`Unpaused node ${this.name}`);
    });
    await container.pause();
    log.info(`Paused node ${this.name}`);
    return undo;
  }
}
