import type { ParseArgsConfig } from 'node:util';
import type { LoadedConfig } from '../config/load-config.js';
import type { Env } from '../config/load-env.js';
import type { Db } from '../db/db.js';
import type { JudgeProgress } from '../judge/judge-run-types.js';
import type { LogFormat } from './log-format.js';
import type { Paint } from './terminal.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What a command gets: parsed globals and lazy access to config and database. */
export interface CommandContext {
  cwd: string;
  env: Env;
  json: boolean;
  quiet: boolean;
  /** Lazily loaded driftwatch.yaml (or defaults). Throws ConfigError on a bad file. */
  config(): LoadedConfig;
  /** Lazily opened and migrated database; main closes it. */
  db(): Promise<Db>;
  /** Progress and notices, to stderr (so --json stdout stays one object); silent with --quiet. */
  log(message: string): void;
  /** Progress of long work (demo nights, compression): shown on a terminal only, never with --quiet. */
  progress(message: string): void;
  now(): Date;
  /** Aborted on SIGINT / SIGTERM. */
  signal: AbortSignal;
  /** stdout is a terminal: commands may print tables and colour instead of plain lines. */
  stdoutIsTty?: boolean;
  /** Colour styles: the identity unless on a terminal without NO_COLOR. */
  paint?: Paint;
  /** json with --json or --log-format json: structured events are written as JSON lines. */
  logFormat?: LogFormat;
  /** A structured step event (nightly, daemon): a JSON line in json log format, a human line otherwise. */
  event?(event: string, fields?: Record<string, unknown>): void;
  /** A throttled judge progress line on a terminal (calls, spend, ETA); undefined when not shown. */
  judgeProgress?(): ((p: JudgeProgress) => void) | undefined;
}

/** A command's outcome: the JSON object for --json and the text otherwise. */
export interface CommandResult {
  exitCode?: number;
  json: unknown;
  text: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpecs;
  allowPositionals?: boolean;
  /** Its stderr is one JSON object a line (daemon): database notices are written that way too. */
  logsJson?: boolean;
  /** Skips opening the database (init, cost, simulate). */
  noDb?: boolean;
  run(
    ctx: CommandContext,
    values: Record<string, string | boolean | string[] | undefined>,
    positionals: string[],
  ): Promise<CommandResult>;
}

/** Identity helper that keeps command definitions typed. */
export function defineCommand(c: Command): Command {
  return c;
}
