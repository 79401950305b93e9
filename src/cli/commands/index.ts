import type { Command } from '../command.js';
import { judgeCommand } from './judge.js';
import { migrateCommand } from './migrate.js';
import { sampleCommand } from './sample.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [migrateCommand, sampleCommand, judgeCommand];
