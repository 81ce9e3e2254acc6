import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * kwok runs as a host process, not a container: its binary is built on this host like the other
 * tools (no image to build or load), it reaches the apiserver where the host does (the published
 * 127.0.0.1 port, with a kubeconfig of its own), and its CPU and memory are read straight from
 * /proc, which is what the results need to say how much of the 2 cores the simulator took.
 *
 * It is started under a small shell that kills it when tuneproof's end of its stdin closes, so
 * even a `kill -9` of tuneproof cannot leave a simulator running against a removed cluster.
 */
export interface SimulatorUsage {
  /** user + system CPU seconds since the start. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set (VmHWM). */
  peakRssBytes: number;
}

const clockTicks = 100; // USER_HZ on Linux

/** CPU and memory of one process from /proc (undefined once it has exited). */
export function processUsage(pid: number): SimulatorUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return {
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicks,
      rssBytes: kib('VmRSS') * 1024,
      peakRssBytes: kib('VmHWM') * 1024,
    };
  } catch {
    return undefined;
  }
}

export interface SimulatorProcess {
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

const watchdog =
  'log="$1"; shift; "$@" </dev/null >>"$log" 2>&1 & kid=$!; echo "$kid"; trap \'kill "$kid" 2>/dev/null\' EXIT INT TERM; cat >/dev/null';

export async function startSimulatorProcess(opts: {
  kwok: string;
  kubeConfig: KubeConfig;
  config: string;
  logFile: string;
}): Promise<SimulatorProcess> {
  // credentials go to a private directory only kwok reads, removed when it stops
  const dir = await mkdtemp(join(tmpdir(), 'tuneproof-kwok-'));
  const kubeconfigFile = join(dir, 'kubeconfig');
  const configFile = join(dir, 'kwok.yaml');
  await writeFile(kubeconfigFile, opts.kubeConfig.exportConfig(), { mode: 0o600 });
  await writeFile(configFile, opts.config, { mode: 0o600 });
  const child: ChildProcess = spawn(
    'sh',
    [
      '-c',
      watchdog,
      'kwok-watchdog',
      opts.logFile,
      opts.kwok,
      '--kubeconfig',
      kubeconfigFile,
      '--config',
      configFile,
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`kwok's watchdog exited (${code}) before kwok started`)),
    );
  });
  const pid = Number(firstLine.trim());
  let stopped = false;
  return {
    pid,
    logFile: opts.logFile,
    async stop() {
      if (stopped) return;
      stopped = true;
      const exited = new Promise<void>((r) => {
        if (child.exitCode !== null) r();
        else child.once('exit', () => r());
      });
      child.stdin?.end(); // the watchdog's cat sees EOF and kills kwok
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone, as expected
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
