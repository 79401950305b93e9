import type { Command } from '../command.js';
import { cacheThresholdCommand } from './cache-threshold.js';
import { cacheWarmCommand } from './cache-warm.js';
import { migrateCommand } from './migrate.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [migrateCommand, cacheThresholdCommand, cacheWarmCommand];
