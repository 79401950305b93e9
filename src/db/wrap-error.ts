import { DatabaseError } from '../errors.js';

/** Wraps a driver error with the statement it came from and the SQLSTATE as `pg_<code>`. */
export function wrapDbError(cause: unknown, sql: string): DatabaseError {
  const msg = (cause as Error).message ?? String(cause);
  const pgCode = (cause as { code?: string }).code;
  return new DatabaseError(`${msg} (in: ${sql.replace(/\s+/g, ' ').slice(0, 120)})`, {
    cause,
    code: pgCode ? `pg_${pgCode}` : undefined,
  });
}
