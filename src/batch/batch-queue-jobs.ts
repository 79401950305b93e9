import { JudgeError } from '../errors.js';
import type { BatchItemResult, JudgeClient, JudgeRequest } from '../judge/judge-client.js';
import type { BatchJob, BatchJobStore } from './batch-job-store.js';
import type { BatchQueueOptions, DeliveredResult, ItemMeta } from './batch-queue-types.js';
import { waitForBatch } from './wait-for-batch.js';

const CHUNK = 500;

/** A caller waiting for its result. */
export interface Waiter {
  req: JudgeRequest;
  meta: ItemMeta;
  promise: Promise<BatchItemResult>;
  resolve(r: BatchItemResult): void;
  reject(e: unknown): void;
}

/** What the job steps of one queue share: its options, its store, and the callers whose batch is out. */
export interface JobContext {
  client: JudgeClient;
  store?: BatchJobStore;
  purpose: string;
  wait: boolean;
  sleep: (ms: number) => Promise<void>;
  options: Pick<BatchQueueOptions, 'poll' | 'onResults' | 'onRecord'>;
  inflight: Map<string, Waiter>;
  /** Stored jobs this process is collecting now (resume() skips them). */
  collecting: Set<number>;
}

type Items = { customId: string; meta: ItemMeta }[];

/** Records a job (with the onRecord hook), submits it to the provider, and collects it unless the queue does not wait. */
export async function submitJob(ctx: JobContext, waiters: Waiter[]): Promise<void> {
  const { client, store } = ctx;
  const items = waiters.map((w) => ({ customId: w.req.customId, meta: w.meta }));
  for (const w of waiters) ctx.inflight.set(w.req.customId, w);
  let jobId: number | undefined;
  try {
    jobId = await store?.record(
      {
        provider: client.provider,
        model: client.model,
        purpose: ctx.purpose,
        items: items.map((i) => ({ customId: i.customId, sampleId: i.meta.sampleId ?? null, tag: i.meta.tag ?? null })),
      },
      ctx.options.onRecord && ((tx, id) => ctx.options.onRecord!(tx, id, items)),
    );
    if (jobId !== undefined) ctx.collecting.add(jobId);
    const { batchId } = await client.startBatch(waiters.map((w) => w.req));
    if (jobId !== undefined) await store!.attach(jobId, batchId);
    if (!ctx.wait) {
      // left open: a later resume() (of this process too) looks at it and collects it once ended
      for (const i of items) ctx.inflight.delete(i.customId);
      if (jobId !== undefined) ctx.collecting.delete(jobId);
      return;
    }
    await collect(ctx, jobId, batchId, items);
  } catch (err) {
    if (jobId !== undefined && ctx.inflight.has(items[0]!.customId)) await settleUnsubmitted(ctx, jobId, items, err);
    failAll(
      ctx,
      items.map((i) => i.customId),
      err,
    );
  }
}

/** Collects a stored job a previous process (or this one, without waiting) left open. */
export async function resumeJob(ctx: JobContext, job: BatchJob): Promise<void> {
  const items = job.items.map((i) => ({ customId: i.customId, meta: { sampleId: i.sampleId, tag: i.tag } }));
  if (!job.batchId) {
    // killed between recording and the provider's answer: the requests may or may not exist there
    await ctx.store!.setStatus(job.id, 'lost', 'process stopped before the provider acknowledged the batch');
    await ctx.options.onResults?.(
      items.map((i) => ({ item: { customId: i.customId, error: 'batch lost before submission' }, meta: i.meta })),
    );
    return;
  }
  if (!ctx.wait && !(await hasEnded(ctx.client, job.batchId))) {
    ctx.collecting.delete(job.id);
    return;
  }
  await collect(ctx, job.id, job.batchId, items);
}

/** Waits for the batch, reads its results in chunks, and gives every expected item a result (an error if absent). */
async function collect(ctx: JobContext, jobId: number | undefined, batchId: string, items: Items): Promise<void> {
  const expected = new Map(items.map((i) => [i.customId, i.meta]));
  try {
    const status = await waitForBatch(ctx.client, batchId, { sleep: ctx.sleep, policy: ctx.options.poll });
    let chunk: DeliveredResult[] = [];
    if (status !== 'failed') {
      for await (const item of ctx.client.readBatch(batchId)) {
        const meta = expected.get(item.customId);
        if (meta === undefined) continue; // not ours, or a duplicate line
        expected.delete(item.customId);
        chunk.push({ item, meta });
        if (chunk.length >= CHUNK) {
          await deliver(ctx, chunk);
          chunk = [];
        }
      }
    }
    const why = status === 'failed' ? `batch ${batchId} failed` : `missing from the results of batch ${batchId}`;
    for (const [customId, meta] of expected) chunk.push({ item: { customId, error: why }, meta });
    expected.clear();
    await deliver(ctx, chunk);
    if (jobId !== undefined) await ctx.store!.setStatus(jobId, 'collected');
  } catch (err) {
    failAll(
      ctx,
      items.map((i) => i.customId),
      err,
    ); // the job stays in_progress: resume() picks it up later
    throw err;
  }
}

async function deliver(ctx: JobContext, chunk: DeliveredResult[]): Promise<void> {
  if (chunk.length === 0) return;
  await ctx.options.onResults?.(chunk);
  for (const { item } of chunk) {
    ctx.inflight.get(item.customId)?.resolve(item);
    ctx.inflight.delete(item.customId);
  }
}

function failAll(ctx: JobContext, ids: string[], err: unknown): void {
  for (const id of ids) {
    ctx.inflight.get(id)?.reject(err);
    ctx.inflight.delete(id);
  }
}

/** A submission failed: a job the provider never acknowledged is marked failed and its items get an error. */
async function settleUnsubmitted(ctx: JobContext, jobId: number, items: Items, err: unknown): Promise<void> {
  const job = (await ctx.store!.open(ctx.client.provider, ctx.purpose)).find((j) => j.id === jobId);
  if (job?.batchId) return; // submitted: leave it for resume()
  await ctx.store!.setStatus(jobId, 'failed', err instanceof Error ? err.message : String(err));
  await ctx.options.onResults?.(
    items.map((i) => ({ item: { customId: i.customId, error: 'batch submission failed' }, meta: i.meta })),
  );
}

/** One look at a batch; a retryable error counts as "not yet". */
async function hasEnded(client: JudgeClient, batchId: string): Promise<boolean> {
  try {
    return (await client.checkBatch(batchId)).status !== 'in_progress';
  } catch (err) {
    if (err instanceof JudgeError && err.retryable) return false;
    throw err;
  }
}
