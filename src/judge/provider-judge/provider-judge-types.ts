import type { Db } from '../../db/db.js';
import type { PollPolicy } from '../../batch/wait-for-batch.js';
import type { QueueTimers } from '../../batch/create-batch-queue.js';
import type { JudgeClient, JudgeRequest } from '../judge-client.js';
import type { ParsedVerdict } from './parse-json-verdict.js';
import type { SampleToJudge } from './sample-queries.js';

/** What a provider judge run needs from outside: the Db, a JudgeClient and (for tests) time. */
export interface ProviderJudgeDeps {
  db: Db;
  client: JudgeClient;
  sleep?: (ms: number) => Promise<void>;
  timers?: QueueTimers;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

/** The rubric (request builder + verdict reader) and the limits of one run. */
export interface ProviderJudgeOptions {
  /** Rubric name stored in judgments.method. */
  method: string;
  toRequest(sample: SampleToJudge): JudgeRequest;
  toVerdict(replyText: string): ParsedVerdict | null;
  runId?: string | null;
  /** Most samples to consider this run (default 100,000). */
  limit?: number;
  maxCostUsd?: number;
  /** Real time: calls in flight (default 8). */
  concurrency?: number;
  /** Batch: most requests per provider batch (default 10,000). */
  maxBatch?: number;
  poll?: PollPolicy;
}

/** What a run did; every considered sample ends judged or still pending. */
export interface ProviderJudgeSummary {
  mode: 'realtime' | 'batch';
  considered: number;
  judged: number;
  pass: number;
  fail: number;
  /** Samples left pending (retryable errors, batch item errors, unreadable replies). */
  stillPending: number;
  unparsed: number;
  skippedForBudget: number;
  costUsd: number;
  resumedBatches: number;
  batches: number;
  /** The first few distinct error messages (keys redacted). */
  errors: string[];
}

/** A summary with every count at zero. */
export function emptySummary(mode: ProviderJudgeSummary['mode']): ProviderJudgeSummary {
  return { mode, considered: 0, judged: 0, pass: 0, fail: 0, stillPending: 0, unparsed: 0, skippedForBudget: 0, costUsd: 0, resumedBatches: 0, batches: 0, errors: [] };
}

/** Remembers up to five distinct error messages. */
export function noteError(summary: ProviderJudgeSummary, message: string): void {
  if (summary.errors.length < 5 && !summary.errors.includes(message)) summary.errors.push(message);
}
