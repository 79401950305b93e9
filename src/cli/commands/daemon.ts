import { hostname } from 'node:os';
import { abortableSleep, type DaemonDeps, type DaemonRole } from '../../daemon/daemon-deps.js';
import { createDaemonCycles } from '../../daemon/create-daemon-cycles.js';
import { advisoryLeaderLease, folderLease, sharedLease } from '../../daemon/create-lease.js';
import { daemonExitCode, runDaemon } from '../../daemon/run-daemon.js';
import { migrate } from '../../db/migrate.js';
import { openDb } from '../../db/open-db.js';
import { resolveDbTarget } from '../../db/resolve-db-target.js';
import { recoverOnOpen } from '../../escalator/recover-on-open.js';
import { resolveSampleJudgeFlags } from '../resolve-sample-judge-flags.js';
import { judgeClientFor } from '../../judge/providers/create-judge-client.js';
import { readRoutingTable } from '../../nightly/cycle-deps.js';
import { type CommandContext, defineCommand } from '../command.js';
import { daemonSpec } from './daemon-spec.js';

export const daemonCommand = defineCommand(daemonSpec, async (ctx, values) => {
  const { interval: intervalMs, role, maxCycles, maxFailedCycles } = values;
  const loaded = ctx.config();
  const flags = resolveSampleJudgeFlags(values, loaded.config, { allowBatch: role === 'leader' });
  if (role === 'leader') readRoutingTable(loaded); // exit 2 at start, not every cycle
  const judgeClient = judgeClientFor(flags.judge, ctx.env);
  // JSON lines when stderr is no terminal (or --log-format json), human lines on a terminal
  const log = (line: Record<string, unknown>) => {
    const { event, ...fields } = line;
    if (ctx.event && typeof event === 'string') ctx.event(event, fields);
    else ctx.log(JSON.stringify({ pid: process.pid, ...line }));
  };
  const { url, from } = ctx.dbTarget;
  resolveDbTarget(url, ctx.cwd, from); // a typo is exit 2 now, not a failed cycle later
  const deps: DaemonDeps = {
    role,
    intervalMs,
    maxCycles,
    maxFailedCycles,
    acquire: await leaseFor(role, url, ctx),
    cycle: createDaemonCycles({
      role,
      loaded,
      judgeClient,
      now: ctx.now,
      log,
      flags,
      intervalMs,
      actor: `daemon:${hostname()}:${process.pid}`,
    }),
    sleep: abortableSleep,
    now: ctx.now,
    log,
  };
  const outcome = await runDaemon(deps, { signal: ctx.signal });
  const failing = outcome.failing;
  return {
    json: outcome,
    text:
      `daemon stopped (${outcome.stoppedBy}) after ${outcome.cycles} cycles: ${outcome.workCycles} worked, ${outcome.standbyCycles} standby, ${outcome.failedCycles} failed` +
      (failing ? `; the last ${failing.inARow} failed (${failing.code}): ${failing.error}` : ''),
    exitCode: daemonExitCode(outcome),
  };
});

/** PostgreSQL: one pool, leadership by advisory lock. PGlite: the folder lock is the lease. */
async function leaseFor(role: DaemonRole, url: string | undefined, ctx: Pick<CommandContext, 'db' | 'cwd' | 'log'>) {
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
