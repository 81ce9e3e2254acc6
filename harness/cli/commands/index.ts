import type { Command } from 'commander';
import { registerProfileCommands } from './profile.ts';

/** Each command module registers its subcommands on the program. */
export type RegisterCommand = (program: Command) => void;

export const commands: RegisterCommand[] = [registerProfileCommands];
