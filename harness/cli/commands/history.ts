import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { comparisonFile } from '../../compare/comparison-file.ts';
import { formatNumber } from '../../compare/format-number.ts';
import { writeHistory } from '../../history/history-file.ts';
import { nightlyHistory } from '../../history/nightly-history.ts';
import { writeReport } from '../../report/index.ts';
import { findRunDirs } from '../../results/run-reader.ts';
import { log } from '../../util/log.ts';
import { InputCheck, outputFormat, printStructured } from '../options.ts';

export function registerHistoryCommand(program: Command): void {
  program
    .command('history')
    .argument('<results-dirs...>', 'results directories of earlier nights (and tonight), any order')
    .description(
      "Each scenario's primary metrics night by night, with the nights their level shifted (E-divisive means)",
    )
    .option(
      '--out <results-dir>',
      'write history.json into this results directory and re-render its report (report.html gains the trend charts)',
    )
    .option('-o, --output <format>', 'what to print: table (default), json or yaml')
    .action(async (dirs: string[], opts: { out?: string; output?: string }) => {
      const check = new InputCheck();
      const format = outputFormat(check, opts);
      const isResults = (dir: string) =>
        existsSync(join(dir, comparisonFile)) || findRunDirs(dir).length > 0;
      for (const dir of dirs) {
        let isDir = false;
        try {
          isDir = statSync(dir).isDirectory();
        } catch {
          check.error('<results-dirs>', `${dir} does not exist`);
          continue;
        }
        if (!isDir) check.error('<results-dirs>', `${dir} is not a directory`);
        else if (!isResults(dir))
          check.error('<results-dirs>', `${dir} holds no comparison.json and no runs`);
      }
      if (opts.out !== undefined && !(existsSync(opts.out) && isResults(opts.out)))
        check.error('--out', `${opts.out} is not a results directory (no comparison.json or runs)`);
      check.done('tuneproof history');

      const history = nightlyHistory(dirs);
      if (format !== 'table') printStructured(format, history);
      else {
        for (const s of history.series) {
          const values = s.points.map((p) => formatNumber(p.value)).join(' ');
          const shifts = s.changes
            .map(
              (c) =>
                `level shift at night ${c.index + 1} (${c.at.slice(0, 10)}): ${formatNumber(c.before)} -> ${formatNumber(c.after)} ${s.unit}`,
            )
            .join('; ');
          process.stdout.write(
            `${s.scenario} ${s.metric} [${s.profile}] ${s.unit}: ${values}${shifts ? `\n  ${shifts}` : ''}\n`,
          );
        }
      }
      if (opts.out !== undefined) {
        const path = writeHistory(opts.out, history);
        const report = await writeReport(opts.out);
        log.info(`Wrote ${path}; ${report.files.html} shows the trend`);
      }
    });
}
