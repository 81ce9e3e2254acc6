import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { comparisonFile } from '../../compare/comparison-file.ts';
import type { Problem } from '../../errors.ts';
import { writeReport } from '../../report/index.ts';
import { findRunDirs } from '../../results/run-reader.ts';
import { log } from '../../util/log.ts';
import { parseMargins } from '../compare/compare-options.ts';
import { InputCheck, outputFormat, printStructured } from '../options.ts';

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
    .option(
      '--margin <metric=value>',
      "recompute with a primary metric's margin replaced: 10% (of the baseline's median), 2 (metric units) or both (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--strict-slo', 'recompute with SLO environment findings failing the comparison too')
    .option(
      '-o, --output <format>',
      'what to print: table (file paths and the headline, default), json or yaml (paths, outcome, unreadable runs)',
    )
    .action(
      async (
        dir: string,
        opts: {
          noiseFloor?: string;
          recompute?: boolean;
          output?: string;
          margin?: string[];
          strictSlo?: boolean;
        },
      ) => {
        // bad input is exit 2, said here, and nothing is written into a directory that is not
        // a results directory
        const check = new InputCheck();
        const format = outputFormat(check, opts);
        let isDir = false;
        try {
          isDir = statSync(dir).isDirectory();
          if (!isDir) check.error('<results-dir>', `${dir} is not a directory`);
        } catch {
          check.error('<results-dir>', `${dir} does not exist`);
        }
        if (isDir && findRunDirs(dir).length === 0 && !existsSync(join(dir, comparisonFile)))
          check.error(
            '<results-dir>',
            `${dir} holds no runs (no run.json below it): not a results directory; nothing written`,
          );
        if (opts.noiseFloor !== undefined) {
          try {
            if (!statSync(opts.noiseFloor).isFile())
              check.error('--noise-floor', `${opts.noiseFloor} is not a regular file`);
          } catch {
            check.error('--noise-floor', `${opts.noiseFloor} does not exist`);
          }
        }
        const problems: Problem[] = [];
        const margins = parseMargins(opts.margin ?? [], problems);
        for (const p of problems) check.error(p.path, p.message);
        check.done('tuneproof report');
        const result = await log.step(`Writing report for ${dir}`, `Wrote report for ${dir}`, () =>
          writeReport(dir, {
            ...(opts.noiseFloor !== undefined ? { noiseFloorPath: opts.noiseFloor } : {}),
            recompute: opts.recompute === true,
            ...(Object.keys(margins).length ? { margins } : {}),
            ...(opts.strictSlo ? { strictSlo: true } : {}),
          }),
        );
        for (const u of result.unreadable)
          log.warn(`run ${u.relDir} left out of the report, cannot be read: ${u.error}`);
        if (format !== 'table')
          printStructured(format, {
            files: result.files,
            exitCode: result.exitCode,
            outcome: result.comparison.outcome,
            unreadable: result.unreadable.map((u) => ({ dir: u.relDir, error: u.error })),
          });
        else {
          for (const path of Object.values(result.files)) process.stdout.write(`${path}\n`);
          log.info(result.comparison.outcome.headline);
        }
        process.exitCode = result.exitCode;
      },
    );
}
