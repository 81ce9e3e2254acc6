import { cleanup, type Undo } from '../../harness/util/cleanup.ts';
import type { ExecResult } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { docker } from '../docker.ts';
import { type ContainerExecOptions, containerExec } from '../docker-exec.ts';
import type { NodeHandle, NodeRole } from '../provider.ts';

const blockComment = 'tuneproof-block-apiserver';

/**
 * A kind node: a container on the cluster's network. Every fault registers its undo on the
 * cleanup stack before it acts, so a crash or Ctrl-C between the two still heals the node.
 */
export class KindNode implements NodeHandle {
  readonly name: string;
  readonly role: NodeRole;
  readonly ip: string;
  readonly containerId: string;
  readonly #network: string;
  readonly #apiServer: { ip: string; port: number };

  constructor(opts: {
    name: string;
    role: NodeRole;
    ip: string;
    containerId: string;
    network: string;
    apiServer: { ip: string; port: number };
  }) {
    this.name = opts.name;
    this.role = opts.role;
    this.ip = opts.ip;
    this.containerId = opts.containerId;
    this.#network = opts.network;
    this.#apiServer = opts.apiServer;
  }

  exec(command: readonly string[], opts: ContainerExecOptions = {}): Promise<ExecResult> {
    return containerExec(this.containerId, command, { context: `on node ${this.name}`, ...opts });
  }

  async pidOf(name: string): Promise<number | undefined> {
    // by command line: /proc/<pid>/comm is cut at 15 characters (kube-controller-manager)
    const r = await this.exec(['pgrep', '-o', '-f', `^([^ ]*/)?${name}( |$)`], {
      allowFailure: true,
    });
    const pid = Number.parseInt(r.stdout.trim(), 10);
    return Number.isFinite(pid) ? pid : undefined;
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

  async blockApiServer(): Promise<Undo> {
    const rule = [
      'OUTPUT',
      '-p',
      'tcp',
      '-d',
      this.#apiServer.ip,
      '--dport',
      String(this.#apiServer.port),
      '-m',
      'comment',
      '--comment',
      blockComment,
      '-j',
      'DROP',
    ];
    const undo = cleanup.push(`unblock apiserver from ${this.name}`, async () => {
      // delete every copy, in case the rule was inserted twice
      while (
        (await this.exec(['iptables', '-D', ...rule], { allowFailure: true })).exitStatus === 0
      ) {}
      log.info(`Unblocked kubelet -> apiserver on node ${this.name}`);
    });
    await this.exec(['iptables', '-I', ...rule]);
    log.info(`Blocked kubelet -> apiserver on node ${this.name}`);
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

  async throttleWrites(pid: number, path: string, writeIops: number): Promise<Undo> {
    // cgroup v1 blkio throttling is flat: the limit must sit in the process's own cgroup, keyed
    // by the whole disk (not a partition) behind `path`
    const script = `
      set -e
      cg=$(awk -F: '$2 ~ /(^|,)blkio(,|$)/ {print $3}' /proc/${pid}/cgroup)
      dev=$(findmnt -n -o MAJ:MIN -T ${path} | tr -d ' ')
      if [ -e /sys/dev/block/$dev/partition ]; then dev=$(cat /sys/dev/block/$dev/../dev); fi
      echo /sys/fs/cgroup/blkio$cg $dev`;
    const [cgroupDir, device] = (await this.exec(['sh', '-c', script])).stdout.trim().split(' ');
    if (!cgroupDir || !device)
      throw new Error(`cannot find the blkio cgroup or disk of pid ${pid} on ${this.name}`);
    const file = `${cgroupDir}/blkio.throttle.write_iops_device`;
    const undo = cleanup.push(`release disk throttle of pid ${pid} on ${this.name}`, async () => {
      await this.exec(['sh', '-c', `echo '${device} 0' > ${file}`]);
      log.info(`Released write throttle of pid ${pid} on node ${this.name}`);
    });
    await this.exec(['sh', '-c', `echo '${device} ${writeIops}' > ${file}`]);
    log.info(
      `Throttled writes of pid ${pid} on node ${this.name} to ${writeIops} IOPS (${device}, ${cgroupDir})`,
    );
    return undo;
  }

  async freezeProcess(pid: number): Promise<Undo> {
    const undo = cleanup.push(`thaw pid ${pid} on ${this.name}`, async () => {
      await this.exec(['kill', '-CONT', String(pid)], { allowFailure: true });
      log.info(`Thawed pid ${pid} on node ${this.name}`);
    });
    await this.exec(['kill', '-STOP', String(pid)]);
    log.info(`Froze pid ${pid} on node ${this.name}`);
    return undo;
  }
}
