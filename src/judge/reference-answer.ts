import { createHash } from 'node:crypto';
import type { Queryable } from '../db/db.js';
import type { JudgeBudget } from './judge-budget.js';
import type { JudgeClient } from './judge-client.js';
import { pricedCall, type CallLedger } from './priced-call.js';

/** Output budget of a reference answer. */
export const REFERENCE_MAX_TOKENS = 1024;
const SYSTEM = 'Answer the request below as accurately and completely as you can. Give the final answer clearly.';

/** sha256 of the prompt text, the cache key of reference answers. */
export function promptHash(prompt: string): string {
  return createHash('sha256').update(prompt).digest('hex');
}

/**
 * The reference model's own answer to `prompt`, from the reference_answers table or (once, under the
 * budget) from the model; used when an event was recorded without a reference.
 */
export async function referenceAnswer(
  q: Queryable,
  client: JudgeClient,
  budget: JudgeBudget,
  ledger: CallLedger,
  prompt: string,
  signal?: AbortSignal,
): Promise<{ answer: string; cached: boolean; costUsd: number }> {
  const hash = promptHash(prompt);
  const hit = await q.query<{ answer: string }>(
    `select answer from reference_answers where prompt_hash = $1 and model = $2`,
    [hash, client.model],
  );
  if (hit.rows[0]) return { answer: hit.rows[0].answer, cached: true, costUsd: 0 };
  const { reply, costUsd } = await pricedCall(
    client,
    budget,
    ledger,
    { customId: `ref-${hash.slice(0, 16)}`, system: SYSTEM, prompt, maxTokens: REFERENCE_MAX_TOKENS },
    signal,
  );
  await q.query(
    `insert into reference_answers (prompt_hash, model, answer, input_tokens, output_tokens, cost_usd) values ($1, $2, $3, $4, $5, $6)
     on conflict (prompt_hash, model) do nothing`,
    [hash, client.model, reply.text, reply.usage.inputTokens, reply.usage.outputTokens, costUsd],
  );
  return { answer: reply.text, cached: false, costUsd };
}
