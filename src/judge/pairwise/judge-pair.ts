import type { Queryable } from '../../db/db.js';
import type { JudgeBudget } from '../judge-budget.js';
import type { JudgeClient, JudgeReply, JudgeRequest } from '../judge-client.js';
import { pricedCall, type CallLedger } from '../priced-call.js';
import { promptHash } from '../reference-answer.js';
import { loadRubric, type Rubric } from '../rubric.js';
import { buildPairwisePrompt } from './build-pairwise-prompt.js';
import { combineOrders, toPreferred, type PairOrder, type PairwiseOutcome } from './combine-orders.js';
import { parsePreference, type ParsedPreference } from './parse-preference.js';

/** A served answer and the premium model's answer to the same request. */
export interface AnswerPair {
  key: string;
  input: string;
  served: string;
  premium: string;
}

/** Where and how to ask: the reference model under the run's budget; `db` keeps paid replies (see judgePair). */
export interface PairContext {
  client: JudgeClient;
  budget: JudgeBudget;
  ledger: CallLedger;
  db?: Queryable;
  signal?: AbortSignal;
  rubric?: Rubric;
}

/** The combined outcome with what both calls cost and the judge's reasons. */
export interface JudgedPair extends PairwiseOutcome {
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  reasons: { servedFirst: string; premiumFirst: string };
}

/** The request of one order (custom id `<key>-served-first` or `<key>-premium-first`). */
export function pairRequest(rubric: Rubric, pair: AnswerPair, order: PairOrder): JudgeRequest {
  const [first, second] = order === 'served-first' ? [pair.served, pair.premium] : [pair.premium, pair.served];
  const { system, prompt } = buildPairwisePrompt(rubric, { input: pair.input, first, second });
  return { customId: `${pair.key}-${order}`, system, prompt, maxTokens: rubric.maxTokens };
}

/**
 * Judges a pair in both orders (served answer first, then premium answer first) and combines them
 * (combineOrders). With `db`, each order's reply is kept in reference_answers under the hash of its
 * prompt, so when the other order fails (429, budget stop) the paid reply is reused on the retry,
 * never bought twice. Throws JudgeError / BudgetStop like pricedCall.
 */
export async function judgePair(pair: AnswerPair, ctx: PairContext): Promise<JudgedPair> {
  const rubric = ctx.rubric ?? loadRubric('pairwise-preference');
  const ask = async (order: PairOrder) => {
    const r = await cachedCall(pairRequest(rubric, pair, order), ctx);
    parsePreference(r.reply.text); // an unreadable first reply fails before the second is paid for
    return r;
  };
  const a = await ask('served-first');
  const b = await ask('premium-first');
  return combineReplies(a, b);
}

/** One sentence for judgments.reason: both orders, the combined outcome, the judge's reasons. */
export function describePair(j: JudgedPair): string {
  const how =
    j.preferred === 'premium'
      ? 'worse than the premium answer in both orders'
      : j.preferred === 'served'
        ? 'better than the premium answer in both orders'
        : j.consistent
          ? 'as good as the premium answer (tie)'
          : 'orders disagree (position bias): counted as a tie';
  return `pairwise: ${how}; served first -> ${j.served.servedFirst}, premium first -> ${j.served.premiumFirst}; ${j.reasons.servedFirst} | ${j.reasons.premiumFirst}`;
}

async function cachedCall(req: JudgeRequest, ctx: PairContext): Promise<{ reply: JudgeReply; costUsd: number }> {
  if (!ctx.db) return pricedCall(ctx.client, ctx.budget, ctx.ledger, req, ctx.signal);
  const kept = await readKeptReply(ctx.db, ctx.client.model, req);
  if (kept) return { reply: kept.reply, costUsd: 0 };
  const paid = await pricedCall(ctx.client, ctx.budget, ctx.ledger, req, ctx.signal);
  await keepReply(ctx.db, ctx.client.model, req, paid.reply, paid.costUsd);
  return paid;
}

// never equal to a reference answer's key (those hash the bare request text)
const keyOf = (req: JudgeRequest) => promptHash(`pairwise\u0000${req.system}\u0000${req.prompt}`);

/** A readable reply kept for this exact pairwise request and model (reference_answers), with what it cost when paid. */
export async function readKeptReply(
  db: Queryable,
  model: string,
  req: JudgeRequest,
): Promise<{ reply: JudgeReply; paidUsd: number } | undefined> {
  const hit = await db.query<{ answer: string; cost_usd: number }>(
    `select answer, cost_usd from reference_answers where prompt_hash = $1 and model = $2`,
    [keyOf(req), model],
  );
  const row = hit.rows[0];
  if (!row || !tryParse(row.answer)) return undefined;
  return {
    reply: { customId: req.customId, text: row.answer, model, usage: { inputTokens: 0, outputTokens: 0 } },
    paidUsd: row.cost_usd,
  };
}

/** Keeps a paid reply to a pairwise request (only a readable one: an unreadable reply is asked again). */
export async function keepReply(
  db: Queryable,
  model: string,
  req: JudgeRequest,
  reply: JudgeReply,
  costUsd: number,
): Promise<void> {
  if (!tryParse(reply.text)) return;
  await db.query(
    `insert into reference_answers (prompt_hash, model, answer, input_tokens, output_tokens, cost_usd) values ($1, $2, $3, $4, $5, $6)
     on conflict (prompt_hash, model) do nothing`,
    [keyOf(req), model, reply.text, reply.usage.inputTokens, reply.usage.outputTokens, costUsd],
  );
}

/** Combines the replies of both orders into the pair's outcome (throws a retryable JudgeError on an unreadable one). */
export function combineReplies(
  a: { reply: JudgeReply; costUsd: number },
  b: { reply: JudgeReply; costUsd: number },
): JudgedPair {
  const [pa, pb] = [parsePreference(a.reply.text), parsePreference(b.reply.text)];
  const outcome = combineOrders(toPreferred('served-first', pa.winner), toPreferred('premium-first', pb.winner));
  return {
    ...outcome,
    model: a.reply.model,
    inputTokens: a.reply.usage.inputTokens + b.reply.usage.inputTokens,
    outputTokens: a.reply.usage.outputTokens + b.reply.usage.outputTokens,
    costUsd: a.costUsd + b.costUsd,
    reasons: { servedFirst: pa.reason, premiumFirst: pb.reason },
  };
}

function tryParse(text: string): ParsedPreference | null {
  try {
    return parsePreference(text);
  } catch {
    return null;
  }
}
