import type { Queryable } from '../../db/db.js';
import type { JudgeClient, JudgeReply, JudgeRequest } from '../judge-client.js';
import { loadSamples, type ClaimedSample, type VerdictRow } from '../judge-queries.js';
import { loadRubric } from '../rubric.js';
import type { PairOrder } from './combine-orders.js';
import { combineReplies, describePair, keepReply, pairRequest, readKeptReply, type AnswerPair } from './judge-pair.js';

/** The batch item tag of one order of a pairwise sample: `pairwise-preference:<order>`. */
export const PAIRWISE_TAG = 'pairwise-preference';
const ORDERS: PairOrder[] = ['served-first', 'premium-first'];

/** A sample judged pairwise: an answer, no reference, and the premium model's answer. */
export function isPairwiseSample(s: ClaimedSample): boolean {
  const blank = (x: string | null) => x === null || x.trim() === '';
  return !blank(s.candidate) && blank(s.reference) && !blank(s.premium);
}

/** The order a pairwise batch item's tag names, or undefined for any other item. */
export function pairwiseOrderOf(tag: string | null | undefined): PairOrder | undefined {
  const order = tag?.startsWith(`${PAIRWISE_TAG}:`) ? tag.slice(PAIRWISE_TAG.length + 1) : undefined;
  return order === 'served-first' || order === 'premium-first' ? order : undefined;
}

const pairOf = (s: ClaimedSample): AnswerPair => ({
  key: `sample-${s.id}`,
  input: s.input,
  served: s.candidate!,
  premium: s.premium!,
});

/**
 * What a pairwise sample still needs: the requests of the orders with no kept reply (with their
 * tags), or its verdict when both orders' replies are kept already (an earlier batch or run paid).
 */
export async function planPairwise(
  db: Queryable,
  client: JudgeClient,
  s: ClaimedSample,
): Promise<{ requests: { request: JudgeRequest; tag: string }[]; verdict?: VerdictRow }> {
  const rubric = loadRubric(PAIRWISE_TAG);
  const requests: { request: JudgeRequest; tag: string }[] = [];
  for (const order of ORDERS) {
    const request = pairRequest(rubric, pairOf(s), order);
    if (!(await readKeptReply(db, client.model, request))) requests.push({ request, tag: `${PAIRWISE_TAG}:${order}` });
  }
  return requests.length > 0
    ? { requests }
    : { requests, verdict: (await verdictFromKept(db, client, s)) ?? undefined };
}

/**
 * Keeps one order's batch reply, and returns the sample's verdict once both orders' replies are kept
 * (null while the other order is still out). The verdict's cost is what both replies cost when paid.
 */
export async function collectPairwiseReply(
  db: Queryable,
  client: JudgeClient,
  sampleId: number,
  order: PairOrder,
  reply: JudgeReply,
  costUsd: number,
): Promise<VerdictRow | null> {
  const [s] = await loadSamples(db, [sampleId]);
  if (!s || !isPairwiseSample(s)) return null;
  await keepReply(db, client.model, pairRequest(loadRubric(PAIRWISE_TAG), pairOf(s), order), reply, costUsd);
  return verdictFromKept(db, client, s);
}

async function verdictFromKept(db: Queryable, client: JudgeClient, s: ClaimedSample): Promise<VerdictRow | null> {
  const rubric = loadRubric(PAIRWISE_TAG);
  const [a, b] = await Promise.all(
    ORDERS.map((o) => readKeptReply(db, client.model, pairRequest(rubric, pairOf(s), o))),
  );
  if (!a || !b) return null;
  const j = combineReplies({ reply: a.reply, costUsd: a.paidUsd }, { reply: b.reply, costUsd: b.paidUsd });
  return {
    verdict: j.verdict,
    provider: client.provider,
    model: j.model,
    method: PAIRWISE_TAG,
    reason: describePair(j),
    inputTokens: null,
    outputTokens: null,
    costUsd: j.costUsd,
  };
}
