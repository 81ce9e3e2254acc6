/**
 * A kind node container, started with testcontainers the way that works on the host at hand.
 *
 * kind always runs nodes `--privileged`. Where that is refused (a host whose capability
 * bounding set lacks CAP_SYS_RESOURCE: "unable to apply caps"), the node gets what systemd,
 * containerd and kubelet need explicitly: every capability but SYS_RESOURCE, unconfined
 * seccomp/AppArmor, unmasked /proc and /sys paths (kubelet writes sysctls), /dev/kmsg for
 * kubelet's OOM watcher and a permissive device cgroup rule for privileged pods. Both ways get
 * a private cgroup namespace (each node its own cgroup root: the node image's entrypoint
 * re-mounts the hierarchies writable inside it), tmpfs on /run, /run/lock and /tmp, a volume
 * on /var (containerd's overlayfs snapshots cannot live on the container's overlay root) and
 * the host's /lib/modules read-only.
 *
 * Host-global side effect (as with kind): kubelet sets a few non-namespaced sysctls at start
 * (vm.overcommit_memory=1, kernel.panic=10, kernel.panic_on_oops=1, kernel.keys.root_max*);
 * with /proc/sys writable they change on the host.
 *
 * testcontainers' reaper (Ryuk) is an image that cannot be pulled offline, so it is disabled
 * and tuneproof removes its containers by label (`dev.tuneproof.tool=tuneproof`).
 */
import type Dockerode from 'dockerode';
import type { HostConfig } from 'dockerode';
import { GenericContainer, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { TuneproofError } from '../../harness/errors.ts';
import { exec } from '../../harness/util/exec.ts';
import { log } from '../../harness/util/log.ts';
import { sleep } from '../../harness/util/wait-for.ts';
import { docker } from '../docker.ts';
import { containerExec } from '../docker-exec.ts';
import { labelKeys, toolLabel } from '../labels.ts';

process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

export interface NodeContainerOptions {
  image: string;
  /** Docker container name. */
  name: string;
  hostname?: string;
  /** A Docker network name; with `ip`, the node gets that fixed address on it. */
  network?: string;
  ip?: string;
  /** Labels; the tool label is always added. Pass run and cluster labels (ownerLabels). */
  labels?: Record<string, string>;
  /** Namespaced sysctls set on the container (HostConfig.Sysctls), e.g. from a profile. */
  sysctls?: Record<string, string>;
  ulimits?: readonly { name: string; soft: number; hard: number }[];
  /** Publish this container port (the API server's) on 127.0.0.1 at a free host port. */
  publishApiServer?: number;
  /** More container ports to publish on 127.0.0.1 (e.g. a NodePort a scenario serves on). */
  publishPorts?: readonly number[];
  /** Force privileged or not; by default detected once per process (privilegedWorks). */
  privileged?: boolean;
  /** Let kubelet write /proc/sys (needed by kubelet; see the module comment). Default true. */
  unmaskSystemPaths?: boolean;
  /** How long systemd may take to reach running (default 90 s). */
  startupTimeoutMs?: number;
  /**
   * A named volume (already filled, e.g. from a snapshot) to mount on /var instead of the
   * anonymous one Docker fills from the image.
   */
  varVolume?: string;
}

export interface StartedNodeContainer {
  id: string;
  name: string;
  container: StartedTestContainer;
  privileged: boolean;
  /** Host ports on 127.0.0.1 of `publishPorts`, by container port. */
  hostPorts: Record<number, number>;
  /** Host port on 127.0.0.1 of `publishApiServer`, when asked. */
  apiServerHostPort?: number;
}

/** Everything a node needs when it cannot be privileged. */
const UNPRIVILEGED_CAPS = { add: ['ALL'], drop: ['SYS_RESOURCE'] } as const;
/** Shell test for "systemd finished booting and containerd runs"; degraded is judged by callers. */
export const SYSTEMD_READY =
  's=$(systemctl is-system-running 2>/dev/null); { [ "$s" = running ] || [ "$s" = degraded ]; } && systemctl is-active --quiet containerd';

/** Docker's log stream of a container without a TTY: frames of an 8-byte header and a payload. */
function demuxLogs(buf: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const size = buf.readUInt32BE(at + 4);
    parts.push(buf.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Waits for SYSTEMD_READY, and when it gives up says why (the entrypoint's and systemd's last
 * words, the failed units): testcontainers removes a container that never got ready, and with
 * it everything one could have looked at.
 */
export class SystemdReady implements WaitStrategy {
  #timeoutMs = 90_000;
  #timeoutSet = false;

  withStartupTimeout(ms: number): this {
    this.#timeoutMs = ms;
    this.#timeoutSet = true;
    return this;
  }
  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }
  getStartupTimeout(): number {
    return this.#timeoutMs;
  }

  async waitUntilReady(container: Dockerode.Container): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      const state = (await container.inspect()).State;
      if (!state.Running) {
        throw new TuneproofError(
          `node container exited (status ${state.ExitCode}) before systemd was up${await this.#diagnose(container, false)}`,
        );
      }
      const r = await containerExec(container.id, ['sh', '-c', SYSTEMD_READY], {
        allowFailure: true,
        timeoutMs: 10_000,
      }).catch(() => undefined);
      if (r?.exitStatus === 0) return;
      if (Date.now() > deadline) {
        throw new TuneproofError(
          `systemd in the node container was not up with containerd after ${this.#timeoutMs / 1000}s${await this.#diagnose(container, true)}`,
        );
      }
      await sleep(500);
    }
  }

  async #diagnose(container: Dockerode.Container, running: boolean): Promise<string> {
    const logs = await container.logs({ stdout: true, stderr: true, tail: 20 }).then(
      (b) => demuxLogs(b),
      () => '',
    );
    const failed = running
      ? await containerExec(container.id, ['systemctl', '--failed', '--no-legend', '--plain'], {
          allowFailure: true,
          timeoutMs: 10_000,
        }).then(
          (r) => r.stdout.trim(),
          () => '',
        )
      : '';
    return `${logs.trim() ? `\ncontainer log:\n${logs.trim()}` : ''}${failed ? `\nfailed units:\n${failed}` : ''}`;
  }
}

/**
 * GenericContainer with the HostConfig fields testcontainers has no builder for (cgroupns,
 * devices, device rules, sysctls, masked paths, stop signal, anonymous volume, fixed IP).
 */
export class NodeContainer extends GenericContainer {
  readonly #opts: NodeContainerOptions;
  readonly #privileged: boolean;

  constructor(opts: NodeContainerOptions & { privileged: boolean }) {
    super(opts.image);
    this.#opts = opts;
    this.#privileged = opts.privileged;
    this.withName(opts.name)
      .withLabels({ ...opts.labels, [labelKeys.tool]: toolLabel })
      .withEnvironment({ container: 'docker' })
      .withTmpFs({ '/run': 'rw,exec', '/run/lock': 'rw', '/tmp': 'rw,exec' })
      .withStartupTimeout(opts.startupTimeoutMs ?? 90_000)
      .withWaitStrategy(new SystemdReady());
    if (opts.hostname) this.withHostname(opts.hostname);
    if (opts.network) this.withNetworkMode(opts.network);
    if (opts.ulimits?.length) {
      this.withUlimits(
        Object.fromEntries(opts.ulimits.map((u) => [u.name, { soft: u.soft, hard: u.hard }])),
      );
    }
    if (opts.privileged) {
      this.withPrivilegedMode();
    } else {
      this.withAddedCapabilities(...UNPRIVILEGED_CAPS.add)
        .withDroppedCapabilities(...UNPRIVILEGED_CAPS.drop)
        .withSecurityOpt('seccomp=unconfined', 'apparmor=unconfined');
    }
  }

  protected override async beforeContainerCreated(): Promise<void> {
    const o = this.#opts;
    // systemd stops cleanly on SIGRTMIN+3 (the image says so too; kindest/node does as well).
    this.createOpts.StopSignal = 'SIGRTMIN+3';
    const host: HostConfig & { CgroupnsMode?: string } = this.hostConfig;
    host.CgroupnsMode = 'private';
    host.Binds = [...(host.Binds ?? []), '/lib/modules:/lib/modules:ro'];
    // An anonymous volume: removed with the container (`docker rm -v`, testcontainers' stop).
    // A named one (a restored node's) is removed by label with its cluster.
    if (o.varVolume) host.Binds.push(`${o.varVolume}:/var`);
    else this.createOpts.Volumes = { ...this.createOpts.Volumes, '/var': {} };
    if (o.sysctls && Object.keys(o.sysctls).length > 0) host.Sysctls = { ...o.sysctls };
    if (!this.#privileged) {
      // A privileged container gets all devices anyway.
      host.Devices = [
        ...(host.Devices ?? []),
        { PathOnHost: '/dev/kmsg', PathInContainer: '/dev/kmsg', CgroupPermissions: 'rwm' },
      ];
      host.DeviceCgroupRules = [...(host.DeviceCgroupRules ?? []), 'a *:* rwm'];
      if (o.unmaskSystemPaths ?? true) {
        // What `--security-opt systempaths=unconfined` does on the CLI.
        host.MaskedPaths = [];
        host.ReadonlyPaths = [];
      }
    }
    // Only on loopback: load and probes reach the cluster through 127.0.0.1.
    for (const p of [
      ...(o.publishApiServer === undefined ? [] : [o.publishApiServer]),
      ...(o.publishPorts ?? []),
    ]) {
      const port = `${p}/tcp`;
      this.createOpts.ExposedPorts = { ...this.createOpts.ExposedPorts, [port]: {} };
      host.PortBindings = {
        ...host.PortBindings,
        [port]: [{ HostIp: '127.0.0.1', HostPort: '0' }],
      };
    }
    if (o.network && o.ip) {
      this.createOpts.NetworkingConfig = {
        EndpointsConfig: {
          [o.network]: {
            IPAMConfig: { IPv4Address: o.ip },
            ...(o.hostname ? { Aliases: [o.hostname] } : {}),
          },
        },
      };
    }
  }
}

let privilegedProbe: Promise<boolean> | undefined;

/**
 * Whether `docker run --privileged` works on this host: tried once per process with the given
 * (local) image. `TUNEPROOF_PRIVILEGED=1|0` skips the probe.
 */
export function privilegedWorks(image: string): Promise<boolean> {
  const forced = process.env.TUNEPROOF_PRIVILEGED;
  if (forced === '1' || forced === '0') return Promise.resolve(forced === '1');
  privilegedProbe ??= exec(
    'docker',
    [
      'run',
      '--rm',
      '--privileged',
      '--label',
      `${labelKeys.tool}=${toolLabel}`,
      '--entrypoint',
      'true',
      image,
    ],
    { allowFailure: true, timeoutMs: 60_000 },
  ).then((r) => {
    const ok = r.exitStatus === 0;
    log.debug(
      ok
        ? 'docker run --privileged works here: node containers run privileged'
        : `docker run --privileged fails here (${r.stderr.trim().split('\n')[0]}): using an explicit capability set`,
    );
    return ok;
  });
  return privilegedProbe;
}

async function hostPortOf(id: string, containerPort: number): Promise<number | undefined> {
  const info = await (await docker()).getContainer(id).inspect();
  const binding = info.NetworkSettings.Ports?.[`${containerPort}/tcp`]?.[0];
  return binding ? Number(binding.HostPort) : undefined;
}

/** Start a node container and wait until systemd is up and containerd active. */
export async function startNodeContainer(
  opts: NodeContainerOptions,
): Promise<StartedNodeContainer> {
  const privileged = opts.privileged ?? (await privilegedWorks(opts.image));
  let container: StartedTestContainer;
  try {
    container = await new NodeContainer({ ...opts, privileged }).start();
  } catch (e) {
    // testcontainers removes a container that started but never got ready, not one that was
    // created and then failed to start.
    await exec('docker', ['rm', '--force', '--volumes', opts.name], { allowFailure: true });
    const message = e instanceof Error ? e.message : String(e);
    if (/setting rlimit/.test(message)) {
      throw new TuneproofError(
        `node container ${opts.name}: the host refused its ulimits (${JSON.stringify(opts.ulimits)}): raising a hard limit above the Docker daemon's needs CAP_SYS_RESOURCE, which ${privileged ? 'this host denies' : 'a non-privileged node lacks'}`,
        { cause: e },
      );
    }
    throw e;
  }
  const id = container.getId();
  const hostPorts: Record<number, number> = {};
  for (const p of opts.publishPorts ?? []) {
    const hp = await hostPortOf(id, p);
    if (hp !== undefined) hostPorts[p] = hp;
  }
  const started: StartedNodeContainer = { id, name: opts.name, container, privileged, hostPorts };
  if (opts.publishApiServer !== undefined) {
    started.apiServerHostPort = await hostPortOf(id, opts.publishApiServer);
  }
  return started;
}
