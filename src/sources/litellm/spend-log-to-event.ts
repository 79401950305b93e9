/**
 * One row of LiteLLM's `LiteLLM_SpendLogs` (schema.prisma of BerriAI/litellm, model LiteLLM_SpendLogs)
 * as read by read-spend-logs.ts: timestamps as text (`timestamp(3)` without zone, written in UTC),
 * Json columns as parsed values. Columns an older LiteLLM lacks are null.
 */
export interface SpendLogRow {
  request_id: string;
  call_type: string | null;
  spend: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  start_time: string;
  duration_ms: number | null;
  model: string | null;
  model_group: string | null;
  custom_llm_provider: string | null;
  cache_hit: string | null;
  request_tags: unknown;
  messages: unknown;
  response: unknown;
  status: string | null;
}

/** A row as a routing event (not yet validated), or why it is not one. */
export type RowOutcome =
  | { kind: 'llm'; event: Record<string, unknown>; withoutContent: boolean }
  | { kind: 'skip'; reason: string };

/** Call types that produce text from a prompt (LiteLLM's CallTypes: completion, acompletion, text_completion, anthropic_messages, responses, ...). */
const TEXT_CALL = /completion|anthropic_messages|responses|generate_content|chat/i;

/**
 * Maps one spend-log row: id `litellm:<request_id>`, the task class from the first request tag
 * starting with `tagPrefix` (`task:` by default), else the model group (the alias clients called),
 * else the model. messages/response are read when the proxy stored them (`store_prompts_in_spend_logs`);
 * without them the row is stored with an empty answer (unjudgeable) and counted.
 */
export function spendLogToEvent(row: SpendLogRow, tagPrefix: string): RowOutcome {
  if (row.status === 'failure') return { kind: 'skip', reason: 'failed request (status failure)' };
  if (row.call_type && !TEXT_CALL.test(row.call_type)) return { kind: 'skip', reason: `call_type ${row.call_type}` };
  const tags = Array.isArray(row.request_tags)
    ? row.request_tags.filter((t): t is string => typeof t === 'string')
    : [];
  const tagged = tags.find((t) => t.startsWith(tagPrefix) && t.length > tagPrefix.length)?.slice(tagPrefix.length);
  const model = nonEmpty(row.model) ?? nonEmpty(row.model_group) ?? 'unknown';
  const input = inputOf(row.messages);
  const response = responseText(row.response);
  const withoutContent = response === undefined || input === undefined;
  const event: Record<string, unknown> = {
    kind: 'routing',
    id: `litellm:${row.request_id}`,
    ts: `${row.start_time}Z`,
    taskType: tagged ?? nonEmpty(row.model_group) ?? model,
    model,
    ...(input?.messages ? { messages: input.messages } : { prompt: input?.prompt ?? '' }),
    response: response ?? '',
    ...(row.prompt_tokens !== null ? { inputTokens: row.prompt_tokens } : {}),
    ...(row.completion_tokens !== null ? { outputTokens: row.completion_tokens } : {}),
    ...(row.spend !== null ? { costUsd: row.spend } : {}),
    ...(row.duration_ms !== null && row.duration_ms >= 0 ? { latencyMs: row.duration_ms } : {}),
    metadata: {
      source: 'litellm',
      requestId: row.request_id,
      ...(nonEmpty(row.model_group) ? { modelGroup: row.model_group } : {}),
      ...(nonEmpty(row.custom_llm_provider) ? { provider: row.custom_llm_provider } : {}),
      ...(nonEmpty(row.call_type) ? { callType: row.call_type } : {}),
      cacheHit: row.cache_hit === 'True' || row.cache_hit === 'true',
      ...(tags.length ? { requestTags: tags } : {}),
      contentCaptured: !withoutContent,
    },
  };
  return { kind: 'llm', event, withoutContent };
}

const nonEmpty = (s: string | null | undefined): string | undefined => (s ? s : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Stored messages: a chat message list, or a text-completion prompt; `{}` / `[]` / null when the proxy did not store them. */
function inputOf(messages: unknown): { messages?: { role: string; content: unknown }[]; prompt?: string } | undefined {
  if (typeof messages === 'string') return messages === '' || messages === '{}' ? undefined : { prompt: messages };
  if (!Array.isArray(messages))
    return isRecord(messages) && typeof messages.prompt === 'string' ? { prompt: messages.prompt } : undefined;
  const list = messages
    .filter(isRecord)
    .filter((m) => typeof m.role === 'string')
    .map((m) => ({
      ...m,
      role: m.role as string,
      content: typeof m.content === 'string' || Array.isArray(m.content) ? m.content : '',
    }));
  if (list.length > 0) return { messages: list };
  const prompts = messages.filter((m): m is string => typeof m === 'string');
  return prompts.length > 0 ? { prompt: prompts.join('\n') } : undefined;
}

/** The answer in a stored response: OpenAI chat (choices[0].message.content) or text completion (choices[0].text), Anthropic messages (content[].text), Responses API (output[].content[].text). */
function responseText(response: unknown): string | undefined {
  if (typeof response === 'string') return response === '' || response === '{}' ? undefined : response;
  if (!isRecord(response)) return undefined;
  const choice = Array.isArray(response.choices) ? response.choices[0] : undefined;
  if (isRecord(choice)) {
    const content = isRecord(choice.message) ? choice.message.content : choice.text;
    if (typeof content === 'string') return content;
  }
  const texts = (blocks: unknown): string[] =>
    Array.isArray(blocks)
      ? blocks
          .filter(isRecord)
          .map((b) => b.text)
          .filter((t): t is string => typeof t === 'string')
      : [];
  const anthropic = texts(response.content);
  if (anthropic.length > 0) return anthropic.join('\n');
  if (typeof response.output_text === 'string') return response.output_text;
  const responses = Array.isArray(response.output)
    ? response.output.filter(isRecord).flatMap((o) => texts(o.content))
    : [];
  return responses.length > 0 ? responses.join('\n') : undefined;
}
