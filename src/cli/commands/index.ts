import type { Command, CommandSpec } from '../command.js';
import { initSpec } from './init-spec.js';
import { migrateSpec } from './migrate-spec.js';
import { ingestSpec } from './ingest-spec.js';
import { pullSpec } from './pull-spec.js';
import { sampleSpec } from './sample-spec.js';
import { judgeSpec } from './judge-spec.js';
import { judgeCalibrateSpec } from './judge-calibrate-spec.js';
import { reviewSpec } from './review-spec.js';
import { escalateSpec } from './escalate-spec.js';
import { nightlySpec } from './nightly-spec.js';
import { reportSpec } from './report-spec.js';
import { daemonSpec } from './daemon-spec.js';
import { compressionSpec } from './compression-spec.js';
import { cacheThresholdSpec } from './cache-threshold-spec.js';
import { cacheWarmSpec } from './cache-warm-spec.js';
import { costSpec } from './cost-spec.js';
import { simulateSpec } from './simulate-spec.js';
import { demoSpec } from './demo-spec.js';

/** A command as the CLI lists it: its spec (name, summary, flags), and the module to load when it runs. */
export interface CommandEntry {
  spec: CommandSpec;
  /** Imports the command's module (and with it only what that command needs). */
  load: () => Promise<Command>;
}

/**
 * Every command the CLI lists; only commands that work are registered here (index.test.ts runs
 * each). The specs are light modules (flags, summary), so `--help` and a bad flag load no command;
 * the implementation is imported only when the command runs.
 */
export const commands: CommandEntry[] = [
  { spec: initSpec, load: async () => (await import('./init.js')).initCommand },
  { spec: migrateSpec, load: async () => (await import('./migrate.js')).migrateCommand },
  { spec: ingestSpec, load: async () => (await import('./ingest.js')).ingestCommand },
  { spec: pullSpec, load: async () => (await import('./pull.js')).pullCommand },
  { spec: sampleSpec, load: async () => (await import('./sample.js')).sampleCommand },
  { spec: judgeSpec, load: async () => (await import('./judge.js')).judgeCommand },
  { spec: judgeCalibrateSpec, load: async () => (await import('./judge-calibrate.js')).judgeCalibrateCommand },
  { spec: reviewSpec, load: async () => (await import('./review.js')).reviewCommand },
  { spec: escalateSpec, load: async () => (await import('./escalate.js')).escalateCommand },
  { spec: nightlySpec, load: async () => (await import('./nightly.js')).nightlyCommand },
  { spec: reportSpec, load: async () => (await import('./report.js')).reportCommand },
  { spec: daemonSpec, load: async () => (await import('./daemon.js')).daemonCommand },
  { spec: compressionSpec, load: async () => (await import('./compression.js')).compressionCommand },
  { spec: cacheThresholdSpec, load: async () => (await import('./cache-threshold.js')).cacheThresholdCommand },
  { spec: cacheWarmSpec, load: async () => (await import('./cache-warm.js')).cacheWarmCommand },
  { spec: costSpec, load: async () => (await import('./cost.js')).costCommand },
  { spec: simulateSpec, load: async () => (await import('./simulate.js')).simulateCommand },
  { spec: demoSpec, load: async () => (await import('./demo.js')).demoCommand },
];
