import { Command, CommanderError } from 'commander';
import { ExitCode, TuneproofError } from '../errors.ts';
import { cleanup, installSignalHandlers } from '../util/cleanup.ts';
import { redact } from '../util/redact.ts';
import { commands } from './commands/index.ts';
import { toolVersion } from './version.ts';

/** The program with every command registered (tests drive it in-process). */
export function buildProgram(): Command {
  const program = new Command('tuneproof')
    .description('Prove a Kubernetes tuning profile before you roll it out.')
    .version(toolVersion)
    .exitOverride()
    .showHelpAfterError();
  for (const register of commands) register(program);
  return program;
}

/**
 * Runs the CLI on `argv` (node, script, args...) and returns the exit code; only main.ts turns
 * it into a process exit. Every error ends here: bad input is exit 2 with every problem listed,
 * anything else a one-line message (the stack only with TUNEPROOF_DEBUG=1).
 */
export async function runCli(argv: string[], opts: { signals?: boolean } = {}): Promise<number> {
  const program = buildProgram();
  if (opts.signals !== false) installSignalHandlers();
  const before = process.exitCode;
  process.exitCode = undefined;
  let code: number = ExitCode.success;
  try {
    await program.parseAsync(argv);
    code = process.exitCode === undefined ? ExitCode.success : Number(process.exitCode);
  } catch (e) {
    code = reportError(e);
  } finally {
    await cleanup.runAll();
    process.exitCode = before;
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
  process.stderr.write(
    process.env.TUNEPROOF_DEBUG === '1'
      ? `tuneproof: internal error: ${redact(err.stack ?? err.message)}\n`
      : `tuneproof: internal error: ${redact(err.message)} (TUNEPROOF_DEBUG=1 shows where)\n`,
  );
  return ExitCode.harnessError;
}
