import { PassThrough } from 'node:stream';
import { CommandError } from '../harness/errors.ts';
import type { ExecResult } from '../harness/util/exec.ts';
import { docker } from './docker.ts';

export interface ContainerExecOptions {
  allowFailure?: boolean;
  input?: string;
  timeoutMs?: number;
  context?: string;
}

/**
 * `docker exec` through the Docker API (dockerode), with stdin, separate stdout/stderr and a
 * timeout. testcontainers' own exec has no stdin, which writing files and feeding kubectl needs.
 */
export async function containerExec(
  containerId: string,
  command: readonly string[],
  opts: ContainerExecOptions = {},
): Promise<ExecResult> {
  const d = await docker();
  const container = d.getContainer(containerId);
  const exec = await container.exec({
    Cmd: [...command],
    AttachStdout: true,
    AttachStderr: true,
    AttachStdin: opts.input !== undefined,
  });
  const stream = await exec.start({ hijack: true, stdin: opts.input !== undefined });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  d.modem.demuxStream(stream, stdout, stderr);
  if (opts.input !== undefined) {
    stream.write(opts.input);
    // half-close so the command sees EOF on stdin
    (stream as unknown as { end(): void }).end();
  }
  await new Promise<void>((resolve, reject) => {
    const timer = opts.timeoutMs
      ? setTimeout(
          () =>
            reject(
              new CommandError(
                ['docker', 'exec', containerId, ...command],
                null,
                '',
                `timed out after ${opts.timeoutMs} ms`,
                opts.context,
              ),
            ),
          opts.timeoutMs,
        )
      : undefined;
    stream.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
    stream.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  const { ExitCode } = await exec.inspect();
  const result = {
    exitStatus: ExitCode ?? null,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
  };
  if (result.exitStatus !== 0 && !opts.allowFailure)
    throw new CommandError(
      ['docker', 'exec', containerId, ...command],
      result.exitStatus,
      result.stdout,
      result.stderr,
      opts.context,
    );
  return result;
}
