import type pg from 'pg';
import { connectionLostError, isConnectionLoss, surelyNotApplied } from './connection-loss.js';
import type { Queryable, TransactionOptions } from './db.js';
import { backOffOrGiveUp, messageOf, type RetryContext } from './pg-retry.js';
import { inSession } from './pg-session.js';

/**
 * Runs `fn` in one transaction on a client from `connect`. A lost connection rolls it back and
 * fails with db_connection_lost, unless the caller marked it safe to rerun (`retry`) or it was lost
 * before `fn` ran: then the whole transaction runs again from the start, with backoff.
 */
export async function runPgTransaction<T>(
  connect: () => Promise<pg.PoolClient>,
  ctx: RetryContext,
  fn: (tx: Queryable) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await connect();
    let lost: unknown;
    const onError = (err: Error) => {
      lost ??= err;
    };
    client.on('error', onError);
    let started = false;
    let committing = false;
    let broken = false;
    try {
      await inSession(client).query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      started = true;
      const out = await fn(inSession(client));
      committing = true;
      await inSession(client).query('COMMIT');
      return out;
    } catch (err) {
      broken = lost !== undefined || isConnectionLoss(err);
      if (!broken) await client.query('ROLLBACK').catch(() => {});
      if (!isConnectionLoss(err)) throw err;
      const unknownOutcome = committing && !surelyNotApplied(err);
      const what = unknownOutcome
        ? 'committing a transaction (it may or may not have been committed)'
        : 'in a transaction (it was rolled back)';
      // lost before `fn` ran (a pooled session that had ended): nothing to undo, so always try again
      if (!options.retry && started)
        throw connectionLostError(`lost the connection to ${ctx.location} ${what}: ${messageOf(err)}`, err);
      await backOffOrGiveUp(ctx, what, attempt, err, 'running it again from the start, ');
    } finally {
      client.removeListener('error', onError);
      client.release(broken ? true : undefined);
    }
  }
}
