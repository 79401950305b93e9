import type { LoadedConfig } from '../config/load-config.js';
import type { Env } from '../config/load-env.js';
import type { Db } from '../db/db.js';
import type { FlagDefs, FlagValues } from './flag.js';
import type { JudgeProgress } from '../judge/judge-run-types.js';
import type { LogFormat } from './log-format.js';
import type { Paint } from './terminal.js';

/** What a command gets: parsed globals and lazy access to config and database. */
export interface CommandContext {
  cwd: string;
  env: Env;
  json: boolean;
  quiet: boolean;
  /** The database the command opens: `--db`, else DATABASE_URL (else the embedded default). */
  dbTarget: { url: string | undefined; from: '--db' | 'DATABASE_URL' };
  /** Lazily loaded driftwatch.yaml (or defaults). Throws ConfigError on a bad file. */
  config(): LoadedConfig;
  /** Lazily opened and migrated database; main closes it. Only for commands whose spec says `opensDb`. */
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

/**
 * What the CLI knows about a command without loading it: name, summary, flags, positionals. Kept in
 * a light `*-spec.ts` module beside the command so `--help` and flag errors load no feature code.
 */
export interface CommandSpec<F extends FlagDefs = FlagDefs> {
  name: string;
  summary: string;
  flags: F;
  /** Positional arguments as help shows them (`FILE...`, `litellm`); none accepted when absent. */
  positionals?: string;
  /** Opens the database: `--db` applies. A command that opens none rejects `--db` (exit 2). */
  opensDb: boolean;
  /** Its stderr is one JSON object a line (daemon): database notices are written that way too. */
  logsJson?: boolean;
}

/** A loaded command: its spec and what it does with the typed flags. */
export interface Command<F extends FlagDefs = FlagDefs> {
  spec: CommandSpec<F>;
  run(ctx: CommandContext, flags: FlagValues<F>, positionals: string[]): Promise<CommandResult>;
}

/** Identity helper that keeps a spec's flag types. */
export function defineSpec<F extends FlagDefs>(spec: CommandSpec<F>): CommandSpec<F> {
  return spec;
}

/** A command from its spec and its run function (flags typed by the spec). */
export function defineCommand<F extends FlagDefs>(spec: CommandSpec<F>, run: Command<F>['run']): Command<F> {
  return { spec, run };
}
