import type { Command } from '../command.js';
import { compressionCommand } from './compression.js';
import { costCommand } from './cost.js';
import { demoCommand } from './demo.js';
import { escalateCommand } from './escalate.js';
import { ingestCommand } from './ingest.js';
import { initCommand } from './init.js';
import { judgeCalibrateCommand } from './judge-calibrate.js';
import { judgeCommand } from './judge.js';
import { migrateCommand } from './migrate.js';
import { reviewCommand } from './review.js';
import { sampleCommand } from './sample.js';
import { simulateCommand } from './simulate.js';

/** Every command the CLI lists, in the order --help shows them. Only commands that work are registered. */
export const commands: Command[] = [
  initCommand,
  migrateCommand,
  ingestCommand,
  sampleCommand,
  judgeCommand,
  judgeCalibrateCommand,
  reviewCommand,
  escalateCommand,
  compressionCommand,
  costCommand,
  simulateCommand,
  demoCommand,
];
