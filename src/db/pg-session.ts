import type pg from 'pg';
import { isReadOnly, surelyNotApplied } from './connection-loss.js';
import type { Queryable, QueryResult } from './db.js';
import { type RetryContext, withRetry } from './pg-retry.js';
import { wrapDbError } from './wrap-error.js';

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);

/** Statements on one checked-out client (a transaction's session); errors carry the statement. */
export function inSession(client: pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      try {
        const r = await client.query(sql, params);
        return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
    async exec(sql: string): Promise<void> {
      try {
        await client.query(sql);
      } catch (cause) {
        throw wrapDbError(cause, sql);
      }
    },
  };
}

/** Statements on the pool, each its own transaction: retried after a lost connection when it reads only or surely never ran. */
export function autocommitOn(pool: pg.Pool, ctx: RetryContext): Queryable {
  return {
    query<T>(sql: string, params: unknown[] = []) {
      return withRetry(
        ctx,
        `running "${oneLine(sql)}"`,
        async () => {
          try {
            const r = await pool.query(sql, params);
            return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
          } catch (cause) {
            throw wrapDbError(cause, sql);
          }
        },
        (err) => isReadOnly(sql) || surelyNotApplied(err),
      );
    },
    exec(sql: string) {
      return withRetry(
        ctx,
        `running "${oneLine(sql)}"`,
        async () => {
          try {
            await pool.query(sql);
          } catch (cause) {
            throw wrapDbError(cause, sql);
          }
        },
        (err) => surelyNotApplied(err),
      );
    },
  };
}
