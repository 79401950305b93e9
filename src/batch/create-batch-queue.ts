import type { Db, Queryable } from '../db/db.js';
import type { Env } from '../config/load-env.js';
import { ConfigError, JudgeError } from '../errors.js';
import type { BatchItemResult, JudgeClient, JudgeRequest } from '../judge/judge-client.js';
import { createJudgeClient } from '../judge/providers/create-judge-client.js';
import { createBatchJobStore, type BatchJob, type BatchJobStore } from './batch-job-store.js';
import { waitForBatch, type PollPolicy } from './wait-for-batch.js';

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

const CHUNK = 500;

/** Timer functions, injectable so tests never wait for the real flush window. */
export interface QueueTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

/** Options: a JudgeClient (or provider + model + env), the flush window and size, optional Db for restarts. */
export interface BatchQueueOptions {
  client?: JudgeClient;
  provider?: 'anthropic' | 'openai';
  model?: string;
  env?: Env;
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

interface Waiter {
  req: JudgeRequest;
  meta: ItemMeta;
  promise: Promise<BatchItemResult>;
  resolve(r: BatchItemResult): void;
  reject(e: unknown): void;
}

const realTimers: QueueTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Creates a batch queue (flushEveryMs 30 s and maxBatch 10,000 by default). */
export function createBatchQueue(o: BatchQueueOptions): BatchQueue {
  if (!o.client && !(o.provider && o.env))
    throw new ConfigError(
      "createBatchQueue needs either `client` or `provider` and `env` (and `model`, else the provider's catalog default)",
    );
  const client = o.client ?? createJudgeClient({ provider: o.provider!, model: o.model, env: o.env! });
  const flushEveryMs = o.flushEveryMs ?? 30_000;
  const maxBatch = o.maxBatch ?? 10_000;
  const purpose = o.purpose ?? 'queue';
  const timers = o.timers ?? realTimers;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const store: BatchJobStore | undefined = o.db ? createBatchJobStore(o.db) : undefined;
  const wait = o.waitForResults ?? true;
  if (!wait && !store)
    throw new ConfigError('createBatchQueue: waitForResults false needs `db` to keep the open batches');
  const queued = new Map<string, Waiter>();
  const inflight = new Map<string, Waiter>();
  const running = new Set<Promise<void>>();
  const collecting = new Set<number>();
  let timer: unknown;

  const track = (p: Promise<void>) => {
    const t = p.catch(() => {}).finally(() => running.delete(t));
    running.add(t);
  };
  async function deliver(chunk: DeliveredResult[]): Promise<void> {
    if (chunk.length === 0) return;
    await o.onResults?.(chunk);
    for (const { item } of chunk) {
      inflight.get(item.customId)?.resolve(item);
      inflight.delete(item.customId);
    }
  }
  const failAll = (ids: string[], err: unknown) => {
    for (const id of ids) {
      inflight.get(id)?.reject(err);
      inflight.delete(id);
    }
  };

  async function collect(
    jobId: number | undefined,
    batchId: string,
    items: { customId: string; meta: ItemMeta }[],
  ): Promise<void> {
    const expected = new Map(items.map((i) => [i.customId, i.meta]));
    try {
      const status = await waitForBatch(client, batchId, { sleep, policy: o.poll });
      let chunk: DeliveredResult[] = [];
      if (status !== 'failed') {
        for await (const item of client.readBatch(batchId)) {
          const meta = expected.get(item.customId);
          if (meta === undefined) continue; // not ours, or a duplicate line
          expected.delete(item.customId);
          chunk.push({ item, meta });
          if (chunk.length >= CHUNK) {
            await deliver(chunk);
            chunk = [];
          }
        }
      }
      const why = status === 'failed' ? `batch ${batchId} failed` : `missing from the results of batch ${batchId}`;
      for (const [customId, meta] of expected) chunk.push({ item: { customId, error: why }, meta });
      expected.clear();
      await deliver(chunk);
      if (jobId !== undefined) await store!.setStatus(jobId, 'collected');
    } catch (err) {
      failAll(
        items.map((i) => i.customId),
        err,
      ); // the job stays in_progress: resume() picks it up later
      throw err;
    }
  }

  async function submitJob(waiters: Waiter[]): Promise<void> {
    const items = waiters.map((w) => ({ customId: w.req.customId, meta: w.meta }));
    for (const w of waiters) inflight.set(w.req.customId, w);
    let jobId: number | undefined;
    try {
      jobId = await store?.record(
        {
          provider: client.provider,
          model: client.model,
          purpose,
          items: items.map((i) => ({
            customId: i.customId,
            sampleId: i.meta.sampleId ?? null,
            tag: i.meta.tag ?? null,
          })),
        },
        o.onRecord && ((tx, id) => o.onRecord!(tx, id, items)),
      );
      if (jobId !== undefined) collecting.add(jobId);
      const { batchId } = await client.startBatch(waiters.map((w) => w.req));
      if (jobId !== undefined) await store!.attach(jobId, batchId);
      if (!wait) {
        // left open: a later resume() (of this process too) looks at it and collects it once ended
        for (const i of items) inflight.delete(i.customId);
        if (jobId !== undefined) collecting.delete(jobId);
        return;
      }
      await collect(jobId, batchId, items);
    } catch (err) {
      if (jobId !== undefined && inflight.has(items[0]!.customId)) await settleUnsubmitted(jobId, items, err);
      failAll(
        items.map((i) => i.customId),
        err,
      );
    }
  }

  async function settleUnsubmitted(
    jobId: number,
    items: { customId: string; meta: ItemMeta }[],
    err: unknown,
  ): Promise<void> {
    const job = (await store!.open(client.provider, purpose)).find((j) => j.id === jobId);
    if (job?.batchId) return; // submitted: leave it for resume()
    await store!.setStatus(jobId, 'failed', err instanceof Error ? err.message : String(err));
    await o.onResults?.(
      items.map((i) => ({ item: { customId: i.customId, error: 'batch submission failed' }, meta: i.meta })),
    );
  }

  /** One look at a batch; a retryable error counts as "not yet". */
  async function hasEnded(batchId: string): Promise<boolean> {
    try {
      return (await client.checkBatch(batchId)).status !== 'in_progress';
    } catch (err) {
      if (err instanceof JudgeError && err.retryable) return false;
      throw err;
    }
  }

  function flush(): void {
    if (timer !== undefined) {
      timers.clear(timer);
      timer = undefined;
    }
    while (queued.size > 0) {
      const take = [...queued.values()].slice(0, maxBatch);
      for (const w of take) queued.delete(w.req.customId);
      track(submitJob(take));
    }
  }

  async function resumeJob(job: BatchJob): Promise<void> {
    const items = job.items.map((i) => ({ customId: i.customId, meta: { sampleId: i.sampleId, tag: i.tag } }));
    if (!job.batchId) {
      // killed between recording and the provider's answer: the requests may or may not exist there
      await store!.setStatus(job.id, 'lost', 'process stopped before the provider acknowledged the batch');
      await o.onResults?.(
        items.map((i) => ({ item: { customId: i.customId, error: 'batch lost before submission' }, meta: i.meta })),
      );
      return;
    }
    if (!wait && !(await hasEnded(job.batchId))) {
      collecting.delete(job.id);
      return;
    }
    await collect(job.id, job.batchId, items);
  }

  return {
    submit(req, meta = {}) {
      const existing = queued.get(req.customId) ?? inflight.get(req.customId);
      if (existing) return existing.promise;
      let resolve!: Waiter['resolve'];
      let reject!: Waiter['reject'];
      const promise = new Promise<BatchItemResult>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      queued.set(req.customId, { req, meta, promise, resolve, reject });
      if (queued.size >= maxBatch) flush();
      else if (timer === undefined) timer = timers.set(flush, flushEveryMs);
      return promise;
    },
    flush,
    async resume() {
      if (!store) return 0;
      const jobs = (await store.open(client.provider, purpose)).filter((j) => !collecting.has(j.id));
      for (const j of jobs) {
        collecting.add(j.id);
        track(resumeJob(j));
      }
      return jobs.length;
    },
    async drain() {
      flush();
      while (running.size > 0) await Promise.all([...running]);
    },
    get queued() {
      return queued.size;
    },
  };
}
