import { backoffMs, connectionLostError, isConnectionLoss, type DbEvent, type RetryPolicy } from './connection-loss.js';

/** What the retry loops of the PostgreSQL adapter need: where, how often, how to log and wait. */
export interface RetryContext {
  location: string;
  policy: RetryPolicy;
  log: (event: DbEvent) => void;
  sleep: (ms: number) => Promise<void>;
}

export const messageOf = (err: unknown) => (err as Error).message ?? String(err);

/**
 * After a lost connection on attempt `attempt` of `what`: throws once the policy's attempts are
 * used up (logging db_gave_up), else logs db_retry and waits the backoff. `again` words the retry.
 */
export async function backOffOrGiveUp(
  ctx: RetryContext,
  what: string,
  attempt: number,
  err: unknown,
  again = '',
): Promise<void> {
  const { location, policy, log } = ctx;
  if (attempt >= policy.attempts) {
    log({
      event: 'db_gave_up',
      message: `lost the connection to ${location} ${attempt} times ${what}; giving up`,
      attempt,
    });
    throw connectionLostError(
      `lost the connection to ${location} ${attempt} times ${what}; giving up: ${messageOf(err)}`,
      err,
    );
  }
  const delayMs = backoffMs(policy, attempt);
  log({
    event: 'db_retry',
    message: `lost the connection to ${location} ${what} (${messageOf(err)}); ${again}retry ${attempt} of ${policy.attempts - 1} in ${delayMs} ms`,
    attempt,
    delayMs,
  });
  await ctx.sleep(delayMs);
}

/** Runs `run` again after a lost connection while `retryable(err)` allows, with backoff and a ceiling. */
export async function withRetry<T>(
  ctx: RetryContext,
  what: string,
  run: () => Promise<T>,
  retryable: (err: unknown) => boolean,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isConnectionLoss(err)) throw err;
      if (!retryable(err))
        throw connectionLostError(
          `lost the connection to ${ctx.location} while ${what}; it may or may not have taken effect: ${messageOf(err)}`,
          err,
        );
      await backOffOrGiveUp(ctx, `while ${what}`, attempt, err);
    }
  }
}
