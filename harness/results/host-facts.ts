import { existsSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { docker } from '../../clusters/docker.ts';
import type { HostFacts } from './schema.ts';

/** Facts about the machine a run ran on: a comparison across machines is not a comparison. */
export async function hostFacts(): Promise<HostFacts> {
  let dockerVersion: string | undefined;
  try {
    dockerVersion = (await (await docker()).version()).Version;
  } catch {
    dockerVersion = undefined;
  }
  return {
    hostname: hostname(),
    cpus: cpus().length,
    memoryBytes: totalmem(),
    kernel: release(),
    platform: `${process.platform}/${process.arch}`,
    nodeVersion: process.version,
    dockerVersion,
    cgroupVersion: existsSync('/sys/fs/cgroup/cgroup.controllers')
      ? 'v2'
      : existsSync('/sys/fs/cgroup/memory')
        ? 'v1'
        : 'unknown',
  };
}
