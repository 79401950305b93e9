import type { Command } from '../command.js';
import { compressionCommand } from './compression.js';
import { costCommand } from './cost.js';
import { demoCommand } from './demo.js';
import { escalateCommand } from './escalate.js';
import { ingestCommand } from './ingest.js';
import { initCommand } from './init.js';
import { migrateCommand } from './migrate.js';
import { simulateCommand } from './simulate.js';

/** Every command the CLI lists, in the order --help shows them. Only commands that work are registered. */
export const commands: Command[] = [
  initCommand,
  migrateCommand,
  ingestCommand,
  escalateCommand,
  compressionCommand,
  costCommand,
  simulateCommand,
  demoCommand,
];
