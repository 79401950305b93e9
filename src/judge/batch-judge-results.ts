import type { DeliveredResult } from '../batch/batch-queue-types.js';
import type { Db } from '../db/db.js';
import { redactSecrets } from '../reports/redact-secrets.js';
import { findPrice } from '../routing/price-catalog.js';
import { releaseBatchSamples } from './batch-judge-queries.js';
import type { JudgeClient, JudgeReply } from './judge-client.js';
import { markJudgeErrors, writeVerdicts, type VerdictRow } from './judge-queries.js';
import { collectPairwiseReply, pairwiseOrderOf } from './pairwise/batch-pairwise.js';
import { parsePreference } from './pairwise/parse-preference.js';
import { parseVerdict } from './parse-verdict.js';
import { replyCostUsd } from './priced-call.js';
import type { BatchJudgeResult } from './batch-judge-types.js';

/** What the batch results of one run are stored with: the Db, the client they came through, the run's log. */
export interface BatchResultContext {
  db: Db;
  client: JudgeClient;
  runId: string;
  log?: (message: string) => void;
}

interface Sorted {
  verdicts: { sampleId: number; v: VerdictRow }[];
  released: number[];
  unreadable: { sampleId: number; error: string }[];
}

/**
 * The batch queue's `onResults` of a judge run: a verdict per readable reply (priced at the batch
 * price of the model that answered), pairwise orders kept until both are in, unreadable replies
 * marked judge_error, errored items released to pending; all stored in one transaction per chunk.
 */
export function createBatchResultHandler(
  ctx: BatchResultContext,
  r: BatchJudgeResult,
): (results: DeliveredResult[]) => Promise<void> {
  return async (results) => {
    const sorted: Sorted = { verdicts: [], released: [], unreadable: [] };
    for (const { item, meta } of results) {
      if (meta.sampleId == null) continue;
      const order = pairwiseOrderOf(meta.tag);
      if (order) await sortPairwise(ctx, r, sorted, meta.sampleId, order, item.reply, item.error);
      else sortSingle(ctx, r, sorted, meta.sampleId, meta.tag, item.reply, item.error);
    }
    await ctx.db.transaction(async (tx) => {
      const stored = await writeVerdicts(tx, sorted.verdicts, ctx.runId);
      await releaseBatchSamples(tx, sorted.released);
      await markJudgeErrors(tx, sorted.unreadable);
      r.judged += stored;
      r.duplicates += sorted.verdicts.length - stored;
    });
  };
}

/** One order of a pairwise sample: kept as it arrives, the verdict once both orders are in. */
async function sortPairwise(
  ctx: BatchResultContext,
  r: BatchJudgeResult,
  sorted: Sorted,
  sampleId: number,
  order: NonNullable<ReturnType<typeof pairwiseOrderOf>>,
  reply: JudgeReply | undefined,
  error: string | undefined,
): Promise<void> {
  if (!reply || !readable(reply.text)) {
    r.failures++;
    ctx.log?.(`sample ${sampleId} (${order}) stays pending: ${error ?? 'unreadable preference'}`);
    sorted.released.push(sampleId);
    return;
  }
  const paid = batchCostUsd(ctx.client, reply);
  r.costUsd += paid;
  const pv = await collectPairwiseReply(ctx.db, ctx.client, sampleId, order, reply, paid);
  if (pv) sorted.verdicts.push({ sampleId, v: pv });
}

function sortSingle(
  ctx: BatchResultContext,
  r: BatchJudgeResult,
  sorted: Sorted,
  sampleId: number,
  tag: string | null | undefined,
  reply: JudgeReply | undefined,
  error: string | undefined,
): void {
  const v = reply ? tryParse(reply.text) : null;
  if (reply && !v) {
    r.judgeErrors++;
    ctx.log?.(`sample ${sampleId} marked judge_error: the batch reply is not a verdict`);
    sorted.unreadable.push({ sampleId, error: redactSecrets(reply.text.slice(0, 200)).slice(0, 200) });
    return;
  }
  if (!reply || !v) {
    r.failures++;
    ctx.log?.(`sample ${sampleId} stays pending: ${error ?? 'no reply'}`);
    sorted.released.push(sampleId);
    return;
  }
  const costUsd = batchCostUsd(ctx.client, reply);
  r.costUsd += costUsd;
  sorted.verdicts.push({
    sampleId,
    v: {
      ...v,
      provider: ctx.client.provider,
      model: reply.model,
      method: tag ?? 'batch',
      inputTokens: reply.usage.inputTokens,
      outputTokens: reply.usage.outputTokens,
      costUsd,
    },
  });
}

/** A resumed batch may have been sent with another model than this run's: price what answered. */
function batchCostUsd(client: JudgeClient, reply: JudgeReply): number {
  return replyCostUsd(findPrice(reply.model) ? reply.model : client.model, reply, true);
}

function readable(text: string): boolean {
  try {
    parsePreference(text);
    return true;
  } catch {
    return false;
  }
}

function tryParse(text: string): ReturnType<typeof parseVerdict> | null {
  try {
    return parseVerdict(text);
  } catch {
    return null;
  }
}
