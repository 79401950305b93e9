/** Backoff of a database write retried after a dropped connection. */
export interface DbRetryPolicy {
  /** Give up after this long (default 120 s): the error is then raised. */
  maxMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: (message: string) => void;
}

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTCONN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/**
 * True when an error means the database connection was lost (terminated backend, server restart,
 * reset socket), not that the statement was wrong: SQLSTATE class 08, 57P01-57P03, socket errors.
 */
export function isConnectionLoss(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 6 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const c = code.replace(/^pg_/, '');
      if (CONNECTION_CODES.has(c) || /^08/.test(c)) return true;
    }
    if (
      /connection terminated|connection (?:was )?(?:closed|ended|lost)|client has encountered a connection error|not queryable|terminating connection/i.test(
        e.message,
      )
    )
      return true;
    e = e.cause;
  }
  return false;
}

/**
 * Runs `write(attempt)` until it succeeds; after a lost connection it waits (100 ms doubling to 5 s)
 * and tries again, so a verdict that was paid for stays in memory until the database takes it.
 * Any other error, or still failing after `maxMs`, is raised.
 */
export async function retryDbWrite<T>(
  what: string,
  write: (attempt: number) => Promise<T>,
  policy: DbRetryPolicy = {},
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (policy.maxMs ?? 120_000);
  for (let attempt = 0; ; attempt++) {
    try {
      return await write(attempt);
    } catch (err) {
      if (!isConnectionLoss(err) || Date.now() >= deadline) throw err;
      const wait = Math.min(5000, 100 * 2 ** attempt);
      policy.log?.(
        `${what}: the database connection dropped (${(err as Error).message.split('\n')[0]}); retrying in ${wait} ms`,
      );
      await sleep(wait);
    }
  }
}
