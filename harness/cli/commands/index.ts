import type { Command } from 'commander';
import { registerBenchCommand } from './bench.ts';
import { registerClusterCommands } from './cluster.ts';
import { registerCompareCommand } from './compare.ts';
import { registerHistoryCommand } from './history.ts';
import { registerImagesCommands } from './images.ts';
import { registerProfileCommands } from './profile.ts';
import { registerReportCommand } from './report.ts';
import { registerRunCommand } from './run.ts';

/** Each command module registers its subcommands on the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [
  registerProfileCommands,
  registerClusterCommands,
  registerImagesCommands,
  registerRunCommand,
  registerCompareCommand,
  registerReportCommand,
  registerHistoryCommand,
  registerBenchCommand,
];
