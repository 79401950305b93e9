import type { Command } from '../command.js';
import { judgeCalibrateCommand } from './judge-calibrate.js';
import { judgeCommand } from './judge.js';
import { migrateCommand } from './migrate.js';
import { reviewCommand } from './review.js';
import { sampleCommand } from './sample.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [migrateCommand, sampleCommand, judgeCommand, judgeCalibrateCommand, reviewCommand];
