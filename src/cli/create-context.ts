import { type LoadedConfig, loadConfig } from '../config/load-config.js';
import { loadEnv } from '../config/load-env.js';
import type { Db } from '../db/db.js';
import { DriftwatchError } from '../errors.js';
import type { CommandContext, CommandSpec } from './command.js';
import type { FlagValues } from './flag.js';
import type { GlobalFlags } from './global-flags.js';
import { createJudgeProgressLine } from './judge-progress-line.js';
import { resolveLogFormat } from './log-format.js';
import type { MainIo } from './main-io.js';
import { openCliDb } from './open-cli-db.js';
import { renderLogEvent } from './render-log-event.js';
import type { StderrWriter } from './stderr-writer.js';
import { createPaint, useColor } from './terminal.js';

/** A command's context and the database it opened, if any (for main to close). */
export interface CliContext {
  ctx: CommandContext;
  openedDb(): Promise<Db | undefined>;
}

/** Builds what a command gets from the global flags and main's io. Throws InputError on a bad --log-format. */
export function createContext(
  spec: CommandSpec,
  globals: FlagValues<GlobalFlags>,
  io: MainIo,
  o: { stderr: StderrWriter; signal: AbortSignal },
): CliContext {
  const { json, quiet } = globals;
  const logFormat = resolveLogFormat({ flag: globals.logFormat, json, isTty: io.isTty, logsJson: spec.logsJson });
  const paint = createPaint(useColor(io.isTty, io.env));
  const err = o.stderr;
  const env = loadEnv(io.env, io.isTty);
  let loaded: LoadedConfig | undefined;
  let dbPromise: Promise<Db> | undefined;
  const ctx: CommandContext = {
    cwd: io.cwd,
    env,
    json,
    quiet,
    dbTarget:
      globals.db !== undefined ? { url: globals.db, from: '--db' } : { url: env.databaseUrl, from: 'DATABASE_URL' },
    config: () => {
      loaded ??= loadConfig(globals.config, io.cwd);
      return loaded;
    },
    db: () => {
      if (!spec.opensDb)
        throw new DriftwatchError('bug', `${spec.name} declares opensDb: false but asked for the database`);
      dbPromise ??= openCliDb(ctx, (e) => {
        if (quiet) return;
        const { event, ...fields } = e;
        err.line(logFormat.wrapMessages ? err.json(event, fields) : `notice: ${e.message}`);
      });
      return dbPromise;
    },
    log: (m) => {
      if (!quiet) err.line(logFormat.wrapMessages ? err.json('message', { message: m }) : m);
    },
    progress: (m) => {
      if (!quiet && io.isTty) err.line(logFormat.format === 'json' ? err.json('progress', { message: m }) : m);
    },
    now: () => new Date(),
    signal: o.signal,
    stdoutIsTty: (io.stdoutIsTty ?? io.isTty) && !json,
    paint: createPaint(useColor(io.stdoutIsTty ?? io.isTty, io.env)),
    logFormat: logFormat.format,
    event: (event, fields = {}) => {
      if (quiet) return;
      const line = logFormat.format === 'json' ? err.json(event, fields) : renderLogEvent(event, fields, paint);
      if (line !== null) err.line(line);
    },
    judgeProgress: () =>
      !quiet && io.isTty && logFormat.format === 'text'
        ? createJudgeProgressLine({ status: err.status, now: io.clock ?? (() => performance.now()), paint })
        : undefined,
  };
  return { ctx, openedDb: async () => (dbPromise ? dbPromise.catch(() => undefined) : undefined) };
}
