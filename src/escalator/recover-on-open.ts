import type { Db } from '../db/db.js';
import { abortStaleRuns } from '../runs/run-record.js';
import { recoverRoutingIntents, type RecoveryOutcome } from './routing-intents.js';

/** What start-up recovery found and fixed. */
export interface OpenRecovery extends RecoveryOutcome {
  abortedRuns: string[];
}

/**
 * Run by every command once the database is open and migrated: closes runs whose process is gone
 * as `aborted`, resolves half-done routing-table applies (file and audit agree afterwards) and
 * removes temp files dead writers left beside `routingTable`. Logs one line per thing fixed.
 */
export async function recoverOnOpen(
  db: Db,
  opts: { routingTable?: string; log: (message: string) => void },
): Promise<OpenRecovery> {
  const abortedRuns = await abortStaleRuns(db);
  const r = await recoverRoutingIntents(db, opts.routingTable ? [opts.routingTable] : []);
  if (abortedRuns.length > 0)
    opts.log(
      `notice: closed ${abortedRuns.length} run(s) whose process had ended as aborted: ${abortedRuns.join(', ')}`,
    );
  if (r.completed.length > 0)
    opts.log(
      `notice: completed the audit of ${r.completed.length} routing-table write(s) interrupted after the file was replaced`,
    );
  if (r.rolledBack.length > 0)
    opts.log(
      `notice: rolled back ${r.rolledBack.length} routing-table write(s) interrupted before the file was replaced (the file is unchanged)`,
    );
  if (r.interrupted.length > 0)
    opts.log(
      `warning: ${r.interrupted.length} interrupted routing-table write(s) found the file edited since; the intended diff is in audit_log (action apply_interrupted)`,
    );
  if (r.tempFilesRemoved.length > 0)
    opts.log(`notice: removed ${r.tempFilesRemoved.length} leftover temp file(s): ${r.tempFilesRemoved.join(', ')}`);
  return { ...r, abortedRuns };
}
