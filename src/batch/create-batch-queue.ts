import { ConfigError } from '../errors.js';
import type { BatchItemResult } from '../judge/judge-client.js';
import { createBatchJobStore } from './batch-job-store.js';
import { type JobContext, resumeJob, submitJob, type Waiter } from './batch-queue-jobs.js';
import type { BatchQueue, BatchQueueOptions, QueueTimers } from './batch-queue-types.js';

const realTimers: QueueTimers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Creates a batch queue over `client` (flushEveryMs 30 s and maxBatch 10,000 by default). */
export function createBatchQueue(o: BatchQueueOptions): BatchQueue {
  if (!o.client)
    throw new ConfigError(
      'createBatchQueue needs `client`, a JudgeClient: build one with createJudgeClient({ provider, model, env })',
    );
  const flushEveryMs = o.flushEveryMs ?? 30_000;
  const maxBatch = o.maxBatch ?? 10_000;
  const timers = o.timers ?? realTimers;
  const ctx: JobContext = {
    client: o.client,
    store: o.db ? createBatchJobStore(o.db) : undefined,
    purpose: o.purpose ?? 'queue',
    wait: o.waitForResults ?? true,
    sleep: o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))),
    options: o,
    inflight: new Map(),
    collecting: new Set(),
  };
  if (!ctx.wait && !ctx.store)
    throw new ConfigError('createBatchQueue: waitForResults false needs `db` to keep the open batches');
  const queued = new Map<string, Waiter>();
  const running = new Set<Promise<void>>();
  let timer: unknown;
  const track = (p: Promise<void>) => {
    const t = p.catch(() => {}).finally(() => running.delete(t));
    running.add(t);
  };
  function flush(): void {
    if (timer !== undefined) {
      timers.clear(timer);
      timer = undefined;
    }
    while (queued.size > 0) {
      const take = [...queued.values()].slice(0, maxBatch);
      for (const w of take) queued.delete(w.req.customId);
      track(submitJob(ctx, take));
    }
  }
  return {
    submit(req, meta = {}) {
      const existing = queued.get(req.customId) ?? ctx.inflight.get(req.customId);
      if (existing) return existing.promise;
      const waiter = newWaiter(req, meta);
      queued.set(req.customId, waiter);
      if (queued.size >= maxBatch) flush();
      else if (timer === undefined) timer = timers.set(flush, flushEveryMs);
      return waiter.promise;
    },
    flush,
    async resume() {
      if (!ctx.store) return 0;
      const jobs = (await ctx.store.open(ctx.client.provider, ctx.purpose)).filter((j) => !ctx.collecting.has(j.id));
      for (const j of jobs) {
        ctx.collecting.add(j.id);
        track(resumeJob(ctx, j));
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

function newWaiter(req: Waiter['req'], meta: Waiter['meta']): Waiter {
  let resolve!: Waiter['resolve'];
  let reject!: Waiter['reject'];
  const promise = new Promise<BatchItemResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { req, meta, promise, resolve, reject };
}
