import type { Command } from '../command.js';
import { compressionCommand } from './compression.js';
import { migrateCommand } from './migrate.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [migrateCommand, compressionCommand];
