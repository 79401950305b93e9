import type { Command } from '../command.js';
import { costCommand } from './cost.js';
import { daemonCommand } from './daemon.js';
import { escalateCommand } from './escalate.js';
import { initCommand } from './init.js';
import { demoCommand } from './demo.js';
import { ingestCommand } from './ingest.js';
import { migrateCommand } from './migrate.js';
import { nightlyCommand } from './nightly.js';
import { reportCommand } from './report.js';

/** Every command the CLI lists. Only commands that work are registered here. */
export const commands: Command[] = [initCommand, migrateCommand, ingestCommand, costCommand, escalateCommand, nightlyCommand, reportCommand, daemonCommand, demoCommand];
