import { hostname } from 'node:os';
import { abortableSleep, type DaemonDeps, type DaemonRole } from '../../daemon/daemon-deps.js';
import { createDaemonCycles } from '../../daemon/create-daemon-cycles.js';
import { advisoryLeaderLease, folderLease, sharedLease } from '../../daemon/create-lease.js';
import { runDaemon } from '../../daemon/run-daemon.js';
import { migrate } from '../../db/migrate.js';
import { openDb } from '../../db/open-db.js';
import { resolveDbTarget } from '../../db/resolve-db-target.js';
import { recoverOnOpen } from '../../escalator/recover-on-open.js';
import { InputError } from '../../errors.js';
import { judgeClientFor, readRoutingTable } from '../../nightly/cycle-deps.js';
import { parseSampleJudgeFlags, SAMPLE_JUDGE_OPTIONS } from '../parse-nightly-flags.js';
import { parseDurationFlag, parseNumberFlag } from '../parse-flag.js';
import { defineCommand } from '../command.js';

export const daemonCommand = defineCommand({
  name: 'daemon',
  summary: 'repeat the nightly cycle every --interval until SIGTERM; one leader per database, workers only judge',
  usage:
    'driftwatch daemon [--interval DURATION] [--role leader|worker] [--max-cycles N] [--rate R] [--judge P] [--model M] [--batch] [--max-cost-usd N]',
  logsJson: true,
  options: {
    interval: { type: 'string' },
    role: { type: 'string' },
    'max-cycles': { type: 'string' },
    ...SAMPLE_JUDGE_OPTIONS,
  },
  async run(ctx, values) {
    const intervalMs = parseDurationFlag('interval', values.interval) ?? 300_000;
    if (intervalMs < 100) throw new InputError(`--interval must be at least 100ms, got ${String(values.interval)}`);
    const role = (values.role as string | undefined) ?? 'leader';
    if (role !== 'leader' && role !== 'worker') throw new InputError(`--role must be leader or worker, got "${role}"`);
    const maxCycles = parseNumberFlag('max-cycles', values['max-cycles'], { min: 1 });
    if (maxCycles !== undefined && !Number.isInteger(maxCycles))
      throw new InputError(`--max-cycles expects a whole number, got ${maxCycles}`);
    const loaded = ctx.config();
    const flags = parseSampleJudgeFlags(values, loaded.config, { allowBatch: role === 'leader' });
    if (role === 'leader') readRoutingTable(loaded); // exit 2 at start, not every cycle
    const judgeClient = judgeClientFor(flags.judge, ctx.env);
    // JSON lines when stderr is no terminal (or --log-format json), human lines on a terminal
    const log = (line: Record<string, unknown>) => {
      const { event, ...fields } = line;
      if (ctx.event && typeof event === 'string') ctx.event(event, fields);
      else ctx.log(JSON.stringify({ pid: process.pid, ...line }));
    };
    const url = (values.db as string | undefined) ?? ctx.env.databaseUrl;
    resolveDbTarget(url, ctx.cwd, values.db !== undefined ? '--db' : 'DATABASE_URL'); // a typo is exit 2 now, not a failed cycle later
    const deps: DaemonDeps = {
      role: role as DaemonRole,
      intervalMs,
      maxCycles,
      acquire: await leaseFor(role as DaemonRole, url, ctx),
      cycle: createDaemonCycles({
        role: role as DaemonRole,
        loaded,
        judgeClient,
        now: ctx.now,
        log,
        flags,
        actor: `daemon:${hostname()}:${process.pid}`,
      }),
      sleep: abortableSleep,
      now: ctx.now,
      log,
    };
    const outcome = await runDaemon(deps, { signal: ctx.signal });
    return {
      json: outcome,
      text: `daemon stopped (${outcome.stoppedBy}) after ${outcome.cycles} cycles: ${outcome.workCycles} worked, ${outcome.standbyCycles} standby, ${outcome.failedCycles} failed`,
    };
  },
});

/** PostgreSQL: one pool, leadership by advisory lock. PGlite: the folder lock is the lease. */
async function leaseFor(
  role: DaemonRole,
  url: string | undefined,
  ctx: { db(): Promise<import('../../db/db.js').Db>; cwd: string; log: (m: string) => void },
) {
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    const db = await ctx.db();
    return role === 'leader' ? advisoryLeaderLease(db) : sharedLease(db);
  }
  return folderLease(async () => {
    const db = await openDb(url, ctx.cwd, { from: '--db / DATABASE_URL' });
    try {
      await migrate(db);
      await recoverOnOpen(db, { log: ctx.log });
    } catch (err) {
      await db.close();
      throw err;
    }
    return db;
  });
}
