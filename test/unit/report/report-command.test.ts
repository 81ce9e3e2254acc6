import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { Command } from 'commander';
import { registerReportCommand } from '../../../harness/cli/commands/report.ts';
import { ConfigError, ExitCode } from '../../../harness/errors.ts';
import { writeFixtureRuns } from './fixture-runs.ts';

/** Runs `tuneproof report ...`, returning what it printed on stdout and the exit code it set. */
async function runReport(
  args: string[],
): Promise<{ stdout: string; exitCode: number | undefined }> {
  const program = new Command('tuneproof').exitOverride();
  registerReportCommand(program);
  const printed: string[] = [];
  const write = process.stdout.write;
  const errWrite = process.stderr.write;
  const before = process.exitCode;
  process.stdout.write = ((chunk: string) =>
    printed.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(['node', 'tuneproof', 'report', ...args]);
    return {
      stdout: printed.join(''),
      exitCode: process.exitCode === undefined ? undefined : Number(process.exitCode),
    };
  } finally {
    process.stdout.write = write;
    process.stderr.write = errWrite;
    process.exitCode = before;
  }
}

test.serial('prints the files written and sets the exit code of the verdict', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tp-cli-'));
  writeFixtureRuns(dir, { samples: false });
  const { stdout, exitCode } = await runReport([dir]);
  t.deepEqual(stdout.trim().split('\n'), [
    join(dir, 'report.html'),
    join(dir, 'summary.md'),
    join(dir, 'junit.xml'),
  ]);
  t.is(exitCode, ExitCode.verdictFailure);
});

test.serial('a missing directory is a config error', async (t) => {
  await t.throwsAsync(runReport([join(tmpdir(), 'does-not-exist-tuneproof')]), {
    instanceOf: ConfigError,
  });
});
