import { DatabaseError } from '../errors.js';

/** SQLSTATEs the server sends when it ends the session: admin/crash shutdown, cannot connect now, class 08. */
const SERVER_GONE = new Set(['57P01', '57P02', '57P03']);
/** Socket-level codes of a connection that broke or could not be made. */
const SOCKET_GONE = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
  'EAI_AGAIN',
]);
/** Messages of node-postgres for a client whose socket ended (no code set). */
const DRIVER_GONE =
  /Connection terminated|not queryable|Client was closed|Connection ended|timeout exceeded when trying to connect|server closed the connection/i;

/** The driver error a wrapped error came from (DatabaseError keeps it as `cause`). */
function causes(err: unknown): { code?: string; message?: string; severity?: string }[] {
  const out: { code?: string; message?: string; severity?: string }[] = [];
  for (
    let e = err as { cause?: unknown } | undefined, i = 0;
    e && typeof e === 'object' && i < 8;
    e = e.cause as typeof e, i++
  )
    out.push(e as never);
  return out;
}

/** True when `err` (or what it wraps) says the database connection was lost or could not be opened. */
export function isConnectionLoss(err: unknown): boolean {
  if (err instanceof DatabaseError && err.code === 'db_connection_lost') return true;
  return causes(err).some((e) => {
    const code = e.code?.replace(/^pg_/, '');
    return (
      (code !== undefined && (SERVER_GONE.has(code) || code.startsWith('08') || SOCKET_GONE.has(code))) ||
      DRIVER_GONE.test(e.message ?? '')
    );
  });
}

/**
 * True when the lost statement certainly did not take effect: the server itself reported that it
 * ended the session (it aborts the statement and its transaction first), or the client had no live
 * connection to send it on. A socket that broke while a statement ran leaves its outcome unknown.
 */
export function surelyNotApplied(err: unknown): boolean {
  return causes(err).some((e) => {
    const code = e.code?.replace(/^pg_/, '');
    return (
      (code !== undefined && (SERVER_GONE.has(code) || code === 'ECONNREFUSED')) ||
      /not queryable|Client was closed|timeout exceeded when trying to connect/i.test(e.message ?? '')
    );
  });
}

/** Statements that only read (a retry cannot apply anything twice); session locks and row locks die with the session. */
export function isReadOnly(sql: string): boolean {
  const s = sql.replace(/--[^\n]*/g, ' ').trim();
  return /^(select|show|values|with)\b/i.test(s) && !/\b(insert|update|delete|merge|nextval|setval)\b/i.test(s);
}

/** How often and how long a lost connection is retried before the error surfaces. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** First wait; doubles each attempt up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Default: 8 attempts, 200 ms doubling to 5 s (about 16 s in all: a failover or a restart of the server). */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 200, maxDelayMs: 5000 };

/** The wait before attempt `attempt + 1` (attempt counts from 1), with ±20% jitter so clients do not stampede. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const d = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(d * (0.8 + 0.4 * random()));
}

/** What the database adapter reports about lost connections (the CLI prints it on stderr). */
export interface DbEvent {
  /** db_notice: a NOTICE/WARNING the server sent (RAISE NOTICE, "already exists, skipping"). */
  event: 'db_connection_lost' | 'db_retry' | 'db_gave_up' | 'db_notice';
  message: string;
  attempt?: number;
  delayMs?: number;
}

/** The error a caller sees when a lost connection could not be retried (or retries ran out). */
export function connectionLostError(message: string, cause: unknown): DatabaseError {
  return new DatabaseError(message, { cause, code: 'db_connection_lost' });
}
