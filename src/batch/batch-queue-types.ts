import type { Db, Queryable } from '../db/db.js';
import type { BatchItemResult, JudgeClient, JudgeRequest } from '../judge/judge-client.js';
import type { PollPolicy } from './wait-for-batch.js';

/** What a caller may attach to a request; stored with the batch handle, handed back with its result. */
export interface ItemMeta {
  sampleId?: number | null;
  tag?: string | null;
}

/** One result with the meta its request was submitted with. */
export interface DeliveredResult {
  item: BatchItemResult;
  meta: ItemMeta;
}

/** Timer functions, injectable so tests never wait for the real flush window. */
export interface QueueTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/**
 * Options: the JudgeClient the batches go through (build one with `createJudgeClient`), the flush
 * window and size, and an optional Db so a restarted process can collect its open batches.
 */
export interface BatchQueueOptions {
  client: JudgeClient;
  flushEveryMs?: number;
  maxBatch?: number;
  db?: Db;
  /** Separates stored jobs of different users of the same Db (default "queue"). */
  purpose?: string;
  /**
   * Called with every result, in chunks of up to 500 (also for resumed jobs, which have no waiting
   * caller), before the callers' promises resolve and before the job is marked collected.
   */
  onResults?: (results: DeliveredResult[]) => Promise<void> | void;
  /** Runs inside the transaction that records a job, before submission (e.g. claim samples). */
  onRecord?: (tx: Queryable, jobId: number, items: { customId: string; meta: ItemMeta }[]) => Promise<void>;
  timers?: QueueTimers;
  sleep?: (ms: number) => Promise<void>;
  poll?: PollPolicy;
  /**
   * false: never wait for a provider. A submitted batch is left open (stored, to be collected by a
   * later `resume()`), and `resume()` looks at each stored batch once, collecting only those that
   * have ended. Callers' promises of this process then stay unsettled; results reach `onResults`.
   * Needs `db`. Default true (wait with backoff until each batch ends).
   */
  waitForResults?: boolean;
}

/** Gathers requests from concurrent callers into provider batches and hands each caller its own result. */
export interface BatchQueue {
  /** Queues one request; resolves with its result (a reply or an item error) once its batch is read. */
  submit(req: JudgeRequest, meta?: ItemMeta): Promise<BatchItemResult>;
  /** Submits what is queued now instead of waiting for the timer. */
  flush(): void;
  /** Re-attaches stored, uncollected batches of this provider and purpose; returns how many. */
  resume(): Promise<number>;
  /** Flushes and waits until every submitted batch is collected. */
  drain(): Promise<void>;
  readonly queued: number;
}
