import { existsSync, statSync } from 'node:fs';
import type { Command, OptionValues } from 'commander';
import { ConfigError } from '../../errors.ts';
import { writeReport } from '../../report/index.ts';
import { log } from '../../util/log.ts';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .argument('<results-dir>', 'a results directory (runs below it, comparison.json if any)')
    .description('Write report.html, summary.md and junit.xml for the runs in a results directory')
    .option(
      '--noise-floor <file>',
      'apply the noise floor of an earlier A/A calibration (noise-floor.json)',
    )
    .option('--recompute', 'compute the comparison from the runs even if comparison.json exists')
    .action(async (dir: string, opts: OptionValues) => {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new ConfigError('tuneproof report', [
          { path: '<results-dir>', message: `${dir} is not a directory`, severity: 'error' },
        ]);
      }
      const result = await log.step(`Writing report for ${dir}`, `Wrote report for ${dir}`, () =>
        writeReport(dir, {
          ...(typeof opts.noiseFloor === 'string' ? { noiseFloorPath: opts.noiseFloor } : {}),
          recompute: opts.recompute === true,
        }),
      );
      for (const path of Object.values(result.files)) process.stdout.write(`${path}\n`);
      log.info(result.comparison.outcome.headline);
      process.exitCode = result.exitCode;
    });
}
