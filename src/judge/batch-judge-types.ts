import type { PollPolicy } from '../batch/wait-for-batch.js';
import type { QueueTimers } from '../batch/batch-queue-types.js';
import type { Db } from '../db/db.js';
import type { EmptyAnswerPolicy } from './empty-answer.js';
import type { JudgeClient } from './judge-client.js';
import type { JudgeRunResult } from './judge-run-types.js';

/** What a batch judge run needs: the Db, a provider client, and (for tests) time. */
export interface BatchJudgeDeps {
  db: Db;
  client: JudgeClient;
  sleep?: (ms: number) => Promise<void>;
  timers?: QueueTimers;
  log?: (message: string) => void;
}

/** Limits of one `judge --batch` run. */
export interface BatchJudgeOptions {
  maxCostUsd?: number;
  limit?: number;
  /** Requests per provider batch (default 10,000). */
  maxBatch?: number;
  poll?: PollPolicy;
  runId?: string;
  /** Comparator per task class (config judge.comparators): an exact match passes without a request. */
  comparators?: Record<string, string>;
  /** config judge.emptyAnswer: an empty answer fails (default) or is unjudgeable. */
  emptyAnswer?: EmptyAnswerPolicy;
  /** Pass mark of the token-f1 comparator (default 0.5). */
  f1Threshold?: number;
  /**
   * false (the daemon): do not wait for providers. Collect the stored batches that have ended,
   * submit the pending samples as new batches, and return; the next run collects those.
   */
  wait?: boolean;
  /** Return judge_error samples to pending first (they are sent again). */
  retryErrors?: boolean;
}

/** The `judge --batch --json` object: the `judge` fields plus batch counts. */
export interface BatchJudgeResult extends JudgeRunResult {
  batches: number;
  resumedBatches: number;
  /** Samples without a recorded reference: left pending for the real-time judge. */
  needsRealtime: number;
  /** Batches still open at the provider when the run returned (only without waiting). */
  openBatches: number;
}
