#!/usr/bin/env node
import { ExitCode } from '../errors.ts';
import { runCli } from './run-cli.ts';

// `tuneproof profile render tuned | head` closes stdout early: that is not an error
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(ExitCode.success);
  throw e;
});
/** The only place that calls process.exit: everything else returns or throws. */
process.exitCode = await runCli(process.argv);
