#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ExitCode, TuneproofError } from '../errors.ts';
import { cleanup, installSignalHandlers } from '../util/cleanup.ts';
import { redact } from '../util/redact.ts';
import { commands } from './commands/index.ts';
import { toolVersion } from './version.ts';

/** The only place that calls process.exit: everything else returns or throws. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('tuneproof')
    .description('Prove a Kubernetes tuning profile before you roll it out.')
    .version(toolVersion)
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  installSignalHandlers();
  let code: number = ExitCode.success;
  try {
    await program.parseAsync(argv);
    code = process.exitCode === undefined ? ExitCode.success : Number(process.exitCode);
  } catch (e) {
    code = reportError(e);
  } finally {
    await cleanup.runAll();
  }
  return code;
}

function reportError(e: unknown): number {
  if (e instanceof CommanderError) {
    // commander has printed the message already; help/version exits are successes
    return e.exitCode === 0 ? ExitCode.success : ExitCode.configError;
  }
  if (e instanceof TuneproofError) {
    process.stderr.write(`tuneproof: ${redact(e.message)}\n`);
    if (process.env.TUNEPROOF_DEBUG === '1' && e.stack)
      process.stderr.write(`${redact(e.stack)}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  process.stderr.write(`tuneproof: internal error: ${redact(err.stack ?? err.message)}\n`);
  return ExitCode.harnessError;
}

// `tuneproof profile render tuned | head` closes stdout early: that is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(ExitCode.success);
  throw e;
});
process.exitCode = await main(process.argv);
