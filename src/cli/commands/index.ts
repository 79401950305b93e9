import type { Command } from '../command.js';
import { cacheThresholdCommand } from './cache-threshold.js';
import { cacheWarmCommand } from './cache-warm.js';
import { compressionCommand } from './compression.js';
import { costCommand } from './cost.js';
import { daemonCommand } from './daemon.js';
import { demoCommand } from './demo.js';
import { escalateCommand } from './escalate.js';
import { initCommand } from './init.js';
import { ingestCommand } from './ingest.js';
import { judgeCalibrateCommand } from './judge-calibrate.js';
import { judgeCommand } from './judge.js';
import { migrateCommand } from './migrate.js';
import { nightlyCommand } from './nightly.js';
import { pullCommand } from './pull.js';
import { reportCommand } from './report.js';
import { reviewCommand } from './review.js';
import { sampleCommand } from './sample.js';
import { simulateCommand } from './simulate.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [
  initCommand,
  migrateCommand,
  ingestCommand,
  pullCommand,
  sampleCommand,
  judgeCommand,
  judgeCalibrateCommand,
  reviewCommand,
  escalateCommand,
  nightlyCommand,
  reportCommand,
  daemonCommand,
  compressionCommand,
  cacheThresholdCommand,
  cacheWarmCommand,
  costCommand,
  simulateCommand,
  demoCommand,
];
