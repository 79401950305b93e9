import type { DbEvent } from '../db/connection-loss.js';
import type { Db } from '../db/db.js';
import type { CommandContext } from './command.js';

/**
 * Opens the command's database, migrates it and recovers an interrupted routing apply. Database
 * notices go to `notice` (already quiet-aware); the database is closed again if a step fails.
 */
export async function openCliDb(
  ctx: Pick<CommandContext, 'dbTarget' | 'cwd' | 'config' | 'log'>,
  notice: (e: DbEvent) => void,
): Promise<Db> {
  const [{ openDb }, { migrate }, { recoverOnOpen }, { resolvePaths }] = await Promise.all([
    import('../db/open-db.js'),
    import('../db/migrate.js'),
    import('../escalator/recover-on-open.js'),
    import('../config/resolve-paths.js'),
  ]);
  const db = await openDb(ctx.dbTarget.url, ctx.cwd, { log: notice, from: ctx.dbTarget.from });
  try {
    const r = await migrate(db);
    for (const s of r.skipped) ctx.log(`notice: skipped migration ${s.name}: ${s.reason}`);
    // the routing table driftwatch.yaml names; a bad config is the command's to report
    let routingTable: string | undefined;
    try {
      routingTable = resolvePaths(ctx.config()).routingTable;
    } catch {
      routingTable = undefined;
    }
    await recoverOnOpen(db, { routingTable, log: ctx.log });
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
