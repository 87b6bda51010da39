/** The command table: one registration per command, in the order `--help` lists them. */
import type { CommandRegistration } from '../program';

export const commands: readonly CommandRegistration[] = [];
