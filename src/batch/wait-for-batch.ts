import { JudgeError } from '../errors.js';
import type { BatchStatus, JudgeClient } from '../judge/judge-client.js';

/** Poll backoff: first wait, growth factor, longest wait. */
export interface PollPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

/** Defaults for real provider batches (they take minutes to hours). */
export const defaultPollPolicy: PollPolicy = { initialMs: 5_000, factor: 1.5, maxMs: 120_000 };

/**
 * Polls `checkBatch` until the batch leaves in_progress, sleeping with backoff in between.
 * Retryable errors (429, 5xx, timeouts) are waited out; others are thrown.
 */
export async function waitForBatch(
  client: JudgeClient,
  batchId: string,
  deps: { sleep: (ms: number) => Promise<void>; policy?: PollPolicy; signal?: AbortSignal },
): Promise<BatchStatus> {
  const policy = deps.policy ?? defaultPollPolicy;
  let delay = policy.initialMs;
  for (;;) {
    deps.signal?.throwIfAborted();
    try {
      const { status } = await client.checkBatch(batchId);
      if (status !== 'in_progress') return status;
    } catch (err) {
      if (!(err instanceof JudgeError && err.retryable)) throw err;
    }
    await deps.sleep(delay);
    delay = Math.min(policy.maxMs, delay * policy.factor);
  }
}
