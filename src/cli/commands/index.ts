import type { Command } from '../command.js';

/** A command as the CLI lists it: its name and summary, and the module to load when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  /** Imports the command's module (and with it only what that command needs). */
  load: () => Promise<Command>;
}

/**
 * Every command the CLI lists. Only commands that work are registered here. Modules load lazily so
 * `--version`, `--help` and each command pay only for their own imports; the summaries are kept equal
 * to the modules' own (commands-registry.test.ts).
 */
export const commands: CommandEntry[] = [
  {
    name: 'init',
    summary: 'write driftwatch.yaml and routing.yaml templates (never overwrites)',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations',
    load: async () => (await import('./migrate.js')).migrateCommand,
  },
  {
    name: 'ingest',
    summary:
      'load routing events, cache lookups and verdicts from JSONL files, or LLM spans from OTLP/JSON trace files (--format otlp); re-ingesting the same ids is a no-op',
    load: async () => (await import('./ingest.js')).ingestCommand,
  },
  {
    name: 'pull',
    summary:
      'pull new requests from a LiteLLM proxy\'s PostgreSQL ("LiteLLM_SpendLogs", read only, incremental) into routing events',
    load: async () => (await import('./pull.js')).pullCommand,
  },
  {
    name: 'sample',
    summary: 'draw the stratified, deterministic sample from events not yet sampled',
    load: async () => (await import('./sample.js')).sampleCommand,
  },
  {
    name: 'judge',
    summary: 'judge pending samples (offline comparators, or a reference model under a hard budget)',
    load: async () => (await import('./judge.js')).judgeCommand,
  },
  {
    name: 'judge-calibrate',
    summary:
      "measure the judge's false-positive and false-negative rates (per offline comparator) on the bundled labelled sets",
    load: async () => (await import('./judge-calibrate.js')).judgeCalibrateCommand,
  },
  {
    name: 'review',
    summary: 'export judge flags and passes for human labelling, or import the labels (fp-hat, fn-hat)',
    load: async () => (await import('./review.js')).reviewCommand,
  },
  {
    name: 'escalate',
    summary: 'decide per task class from judged verdicts (Bernoulli CUSUM); --apply rewrites routing.yaml',
    load: async () => (await import('./escalate.js')).escalateCommand,
  },
  {
    name: 'nightly',
    summary:
      'sample, judge, decide per task class (--apply rewrites routing.yaml), record the run and write the report',
    load: async () => (await import('./nightly.js')).nightlyCommand,
  },
  {
    name: 'report',
    summary: 'write the markdown report of the latest run (with the 14-run trend) and its SVG charts',
    load: async () => (await import('./report.js')).reportCommand,
  },
  {
    name: 'daemon',
    summary: 'repeat the nightly cycle every --interval until SIGTERM; one leader per database, workers only judge',
    load: async () => (await import('./daemon.js')).daemonCommand,
  },
  {
    name: 'compression',
    summary:
      'answer quality of prompt compressors per ratio over a QA set (a metric that applies to it), and the ratio to use per task class',
    load: async () => (await import('./compression.js')).compressionCommand,
  },
  {
    name: 'cache-threshold',
    summary:
      'false-hit curve of the semantic cache and a certified similarity threshold per task class (inclusion-weighted, valid at every look)',
    load: async () => (await import('./cache-threshold.js')).cacheThresholdCommand,
  },
  {
    name: 'cache-warm',
    summary:
      'fill the semantic cache from good past responses and replay recent queries to estimate hit and false-hit rates',
    load: async () => (await import('./cache-warm.js')).cacheWarmCommand,
  },
  {
    name: 'cost',
    summary: 'before/after daily cost table for a workload (routing, caching, batching)',
    load: async () => (await import('./cost.js')).costCommand,
  },
  {
    name: 'simulate',
    summary: 'backtest the live escalation policy (nightly and daemon) against the naive 3% rule on simulated traffic',
    load: async () => (await import('./simulate.js')).simulateCommand,
  },
  {
    name: 'demo',
    summary:
      'the whole pipeline on recorded data: nights of traffic, judging, escalation, cache audit, compression, report',
    load: async () => (await import('./demo.js')).demoCommand,
  },
];
