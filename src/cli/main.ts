import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { LoadedConfig } from '../config/load-config.js';
import { loadEnv } from '../config/load-env.js';
import type { DbEvent } from '../db/connection-loss.js';
import type { Db } from '../db/db.js';
import { DriftwatchError } from '../errors.js';
import type { Command, CommandContext, OptionSpecs } from './command.js';
import { commands } from './commands/index.js';
import { createJudgeProgressLine } from './judge-progress-line.js';
import { resolveLogFormat } from './log-format.js';
import { renderLogEvent } from './render-log-event.js';
import { createPaint, useColor } from './terminal.js';

// Only the command that runs is imported (commands/index.ts), and the config, database and recovery
// modules load once a command needs them: `--version` and `--help` import none of them.

const GLOBAL_OPTIONS: OptionSpecs = {
  db: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  'log-format': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export interface MainIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress lines, human logs, colour (unless NO_COLOR). */
  isTty: boolean;
  /** stdout is a terminal (tables); defaults to isTty. */
  stdoutIsTty?: boolean;
  /** Clock for throttling progress (tests inject one). */
  clock?: () => number;
}

const defaultIo = (): MainIo => ({
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  env: process.env,
  cwd: process.cwd(),
  isTty: Boolean(process.stderr.isTTY),
  stdoutIsTty: Boolean(process.stdout.isTTY),
});

/** The only place that reads argv and maps errors to exit codes. Returns the exit code. */
export async function main(argv: string[], io: MainIo = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(renderHelp());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`driftwatch ${packageVersion()}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`driftwatch: unknown command "${name}". Run driftwatch --help for the list.\n`);
    return 2;
  }
  const command = await entry.load();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
  } catch (err) {
    io.stderr(`driftwatch ${name}: ${(err as Error).message}\nUsage: ${command.usage}\n`);
    return 2;
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help) {
    io.stdout(renderCommandHelp(command));
    return 0;
  }
  const { loadConfig } = await import('../config/load-config.js');
  const env = loadEnv(io.env, io.isTty);
  const json = Boolean(values.json);
  const quiet = Boolean(values.quiet);
  let logFormat: ReturnType<typeof resolveLogFormat>;
  try {
    logFormat = resolveLogFormat({ flag: values['log-format'], json, isTty: io.isTty, logsJson: command.logsJson });
  } catch (err) {
    io.stderr(`driftwatch ${name}: ${(err as Error).message}\n`);
    return 2;
  }
  const paint = createPaint(useColor(io.isTty, io.env));
  const stdoutPaint = createPaint(useColor(io.stdoutIsTty ?? io.isTty, io.env));
  // A status line (judge progress) is redrawn in place on a terminal; a log line clears it first.
  let status = '';
  const writeErr = (line: string) => {
    if (status) io.stderr('\r\x1b[K');
    io.stderr(`${line}\n`);
    if (status) io.stderr(status);
  };
  const statusLine = {
    set: (line: string) => {
      status = line;
      io.stderr(`\r\x1b[K${line}`);
    },
    end: () => {
      if (status) io.stderr('\n');
      status = '';
    },
  };
  const jsonLine = (event: string, fields: Record<string, unknown>) =>
    JSON.stringify(
      command.logsJson ? { pid: process.pid, event, ...fields, at: new Date().toISOString() } : { event, ...fields },
    );
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let loaded: LoadedConfig | undefined;
  let dbPromise: Promise<Db> | undefined;
  const ctx: CommandContext = {
    cwd: io.cwd,
    env,
    json,
    quiet,
    config: () => (loaded ??= loadConfig(values.config as string | undefined, io.cwd)),
    db: () =>
      (dbPromise ??= (async () => {
        const [{ openDb }, { migrate }, { recoverOnOpen }, { resolvePaths }] = await Promise.all([
          import('../db/open-db.js'),
          import('../db/migrate.js'),
          import('../escalator/recover-on-open.js'),
          import('../config/resolve-paths.js'),
        ]);
        const dbLog = (e: DbEvent) => {
          if (quiet) return;
          const { event, ...fields } = e;
          writeErr(logFormat.wrapMessages ? jsonLine(event, fields) : `notice: ${e.message}`);
        };
        const db = await openDb((values.db as string | undefined) ?? env.databaseUrl, io.cwd, {
          log: dbLog,
          from: values.db !== undefined ? '--db' : 'DATABASE_URL',
        });
        try {
          const r = await migrate(db);
          for (const s of r.skipped) ctx.log(`notice: skipped migration ${s.name}: ${s.reason}`);
          await recoverOnOpen(db, { routingTable: configuredRoutingTable(ctx, resolvePaths), log: ctx.log });
        } catch (err) {
          await db.close();
          throw err;
        }
        return db;
      })()),
    log: (m) => {
      if (!quiet) writeErr(logFormat.wrapMessages ? jsonLine('message', { message: m }) : m);
    },
    progress: (m) => {
      if (!quiet && io.isTty) writeErr(logFormat.format === 'json' ? jsonLine('progress', { message: m }) : m);
    },
    now: () => new Date(),
    signal: controller.signal,
    stdoutIsTty: (io.stdoutIsTty ?? io.isTty) && !json,
    paint: stdoutPaint,
    logFormat: logFormat.format,
    event: (event, fields = {}) => {
      if (quiet) return;
      const line = logFormat.format === 'json' ? jsonLine(event, fields) : renderLogEvent(event, fields, paint);
      if (line !== null) writeErr(line);
    },
    judgeProgress: () =>
      !quiet && io.isTty && logFormat.format === 'text'
        ? createJudgeProgressLine({ status: statusLine, now: io.clock ?? (() => performance.now()), paint })
        : undefined,
  };
  try {
    const result = await command.run(ctx, values, parsed.positionals);
    statusLine.end();
    io.stdout(
      json
        ? `${JSON.stringify(result.json)}\n`
        : result.text.endsWith('\n') || result.text === ''
          ? result.text
          : `${result.text}\n`,
    );
    return result.exitCode ?? 0;
  } catch (err) {
    statusLine.end();
    if (err instanceof DriftwatchError) {
      io.stderr(`driftwatch ${name}: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr(`driftwatch ${name}: unexpected failure: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    statusLine.end();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (dbPromise) await (await dbPromise.catch(() => undefined))?.close();
  }
}

/** The routing table driftwatch.yaml names, for start-up recovery; a bad config is the command's to report. */
function configuredRoutingTable(
  ctx: CommandContext,
  resolvePaths: typeof import('../config/resolve-paths.js').resolvePaths,
): string | undefined {
  try {
    return resolvePaths(ctx.config()).routingTable;
  } catch {
    return undefined;
  }
}

/** The version in package.json (two levels up from src/cli/ and from a compiled dist/cli/). */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function renderHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'driftwatch: keeps cheap LLM pipelines honest',
    '',
    'Usage: driftwatch <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options: --db URL  --config FILE  --json  --log-format text|json  --quiet  --help  (driftwatch --version | -V prints the version)',
    'On a terminal: progress and tables on stderr/stdout, colour unless NO_COLOR is set.',
    "Run driftwatch <command> --help for a command's options.",
    '',
  ].join('\n');
}

function renderCommandHelp(c: Command): string {
  const opts = Object.entries(c.options).map(([k, v]) => `  --${k}${v.type === 'string' ? ' VALUE' : ''}`);
  return [
    `driftwatch ${c.name}: ${c.summary}`,
    '',
    `Usage: ${c.usage}`,
    '',
    'Options:',
    ...opts,
    '  (and the global --db, --config, --json, --log-format, --quiet)',
    '',
  ].join('\n');
}
