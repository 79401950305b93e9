import type { Command } from '../command.js';
import { escalateCommand } from './escalate.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [migrateCommand, escalateCommand, simulateCommand];
