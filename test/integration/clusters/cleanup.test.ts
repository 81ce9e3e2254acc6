import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { removeLabelled } from '../../../clusters/clean.ts';
import { docker } from '../../../clusters/docker.ts';
import { AGNHOST_VERSION } from '../../../clusters/images/versions.ts';
import { labelKeys, toolLabel } from '../../../clusters/labels.ts';
import { newClusterName } from '../../../harness/util/ids.ts';
import { integrationTest } from '../support/integration.ts';

const serial = integrationTest(test);
const canaryImage = `tuneproof/canary:${AGNHOST_VERSION}`;
const cli = join(import.meta.dirname, '../../../bin/tuneproof');

async function labelled(
  cluster: string,
): Promise<{ containers: number; networks: number; volumes: number }> {
  const d = await docker();
  const label = [`${labelKeys.cluster}=${cluster}`];
  const [containers, networks, volumes] = await Promise.all([
    d.listContainers({ all: true, filters: { label } }),
    d.listNetworks({ filters: { label } }),
    d.listVolumes({ filters: { label } }),
  ]);
  return {
    containers: containers.length,
    networks: networks.length,
    volumes: volumes.Volumes?.length ?? 0,
  };
}

/** Starts `cluster up` and resolves once its node containers exist (bring-up under way). */
async function startBringUp(cluster: string): Promise<ChildProcess> {
  const child = spawn(cli, ['cluster', 'up', '--name', cluster, '--workers', '1'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const t0 = Date.now();
  while ((await labelled(cluster)).containers < 2) {
    if (child.exitCode !== null)
      throw new Error(`cluster up exited early (${child.exitCode}): ${stderr}`);
    if (Date.now() - t0 > 120_000) throw new Error(`no node containers after 120s: ${stderr}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', (code) => resolve(code)),
  );

serial(
  'kill -9 during bring-up leaves labelled objects that `tuneproof clean` removes',
  async (t) => {
    t.timeout(5 * 60_000);
    const cluster = newClusterName('tpkill');
    const child = await startBringUp(cluster);
    child.kill('SIGKILL');
    await exited(child);
    const left = await labelled(cluster);
    t.true(
      left.containers > 0 && left.networks > 0,
      `a killed run leaves its objects: ${JSON.stringify(left)}`,
    );
    execFileSync(cli, ['clean', '--cluster', cluster], { stdio: 'ignore' });
    t.deepEqual(await labelled(cluster), { containers: 0, networks: 0, volumes: 0 });
  },
);

serial('Ctrl-C during bring-up removes everything by itself', async (t) => {
  t.timeout(5 * 60_000);
  const cluster = newClusterName('tpint');
  const child = await startBringUp(cluster);
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.kill('SIGINT');
  const code = await exited(child);
  t.log(
    stderr
      .split('\n')
      .filter((l) => /remov|warn|SIGINT/i.test(l))
      .join('\n'),
  );
  t.is(code, 130);
  t.deepEqual(await labelled(cluster), { containers: 0, networks: 0, volumes: 0 });
});

serial(
  'a node whose nested cgroup is frozen (runc init caught mid-setup) is still removed',
  async (t) => {
    t.timeout(2 * 60_000);
    const freezer = '/sys/fs/cgroup/freezer/docker';
    if (!existsSync(freezer)) return t.pass('no cgroup-v1 freezer on this host: nothing to thaw');
    const cluster = newClusterName('tpfz');
    const d = await docker();
    const c = await d.createContainer({
      name: `${cluster}-worker`,
      Image: canaryImage,
      Cmd: ['pause'],
      Labels: { [labelKeys.tool]: toolLabel, [labelKeys.cluster]: cluster },
    });
    await c.start();
    const { Id, State } = await c.inspect();
    // what the node's own runc leaves behind: a nested group, frozen, holding a process
    const nested = join(freezer, Id, 'kubelet.slice', 'cri-containerd-probe.scope');
    mkdirSync(nested, { recursive: true });
    writeFileSync(join(nested, 'cgroup.procs'), String(State.Pid));
    writeFileSync(join(nested, 'freezer.state'), 'FROZEN');
    t.regex(readFileSync(join(nested, 'freezer.state'), 'utf8'), /FROZEN|FREEZING/);
    await removeLabelled({ cluster });
    t.deepEqual(await labelled(cluster), { containers: 0, networks: 0, volumes: 0 });
  },
);
