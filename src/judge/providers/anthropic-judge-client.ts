import Anthropic from '@anthropic-ai/sdk';
import type { BatchItemResult, BatchStatus, JudgeClient, JudgeReply, JudgeRequest } from '../judge-client.js';
import type { AttemptMeter } from './meter-attempts.js';
import { readReplyBody } from './read-reply-body.js';
import { toJudgeError, type ErrorContext } from './to-judge-error.js';

/** A constructed SDK client (base URL, key, retries, timeout and fetch already set) and the judge model. */
export interface AnthropicJudgeClientOptions {
  client: Anthropic;
  model: string;
  /** Strings scrubbed from error messages (the API key). */
  secrets?: (string | undefined)[];
  /** The attempt meter the SDK's fetch was wrapped with (budget hooks per attempt). */
  meter?: AttemptMeter;
}

type Message = Anthropic.Messages.Message;

/** JudgeClient over the Anthropic Messages and Message Batches APIs. */
export function createAnthropicJudgeClient({
  client,
  model,
  secrets,
  meter,
}: AnthropicJudgeClientOptions): JudgeClient {
  const fail = (what: string, err: unknown) =>
    toJudgeError(err, Anthropic, {
      provider: 'anthropic',
      what: `${what} (model ${model})`,
      secrets,
    } satisfies ErrorContext);
  // an empty system prompt is rejected by the API: leave the field out instead
  const params = (r: JudgeRequest) => ({
    model,
    max_tokens: r.maxTokens,
    ...(r.system ? { system: r.system } : {}),
    messages: [{ role: 'user' as const, content: r.prompt }],
  });
  return {
    provider: 'anthropic',
    model,
    baseUrl: client.baseURL,
    async complete(req, options = {}) {
      const call = meter?.register(options.attempts, options.signal);
      try {
        // the raw response, parsed here: an HTML page or a truncated body on 200 is a malformed reply, not a crash
        const res = await client.messages
          .create(params(req), { signal: call?.signal ?? options.signal, headers: call?.headers })
          .asResponse();
        return toReply(
          req.customId,
          await readReplyBody(res, `anthropic messages.create for ${req.customId}`, asMessage),
        );
      } catch (err) {
        throw fail(`messages.create for ${req.customId}`, err);
      } finally {
        call?.done();
      }
    },
    async startBatch(reqs) {
      try {
        const batch = await client.messages.batches.create({
          requests: reqs.map((r) => ({ custom_id: r.customId, params: params(r) })),
        });
        return { batchId: batch.id };
      } catch (err) {
        throw fail(`messages.batches.create of ${reqs.length} requests`, err);
      }
    },
    async checkBatch(batchId) {
      try {
        const b = await client.messages.batches.retrieve(batchId);
        const c = b.request_counts;
        const done = c.succeeded + c.errored + c.canceled + c.expired;
        const status: BatchStatus = b.processing_status === 'ended' ? 'ended' : 'in_progress';
        return { status, done, total: done + c.processing };
      } catch (err) {
        throw fail(`messages.batches.retrieve ${batchId}`, err);
      }
    },
    async *readBatch(batchId): AsyncIterable<BatchItemResult> {
      let results: AsyncIterable<Anthropic.Messages.MessageBatchIndividualResponse>;
      try {
        results = await client.messages.batches.results(batchId);
      } catch (err) {
        throw fail(`messages.batches.results ${batchId}`, err);
      }
      for await (const line of results) yield toItem(line);
    },
  };
}

function asMessage(json: unknown): Message | undefined {
  const m = json as Partial<Message> | null;
  return m && typeof m === 'object' && Array.isArray(m.content) && m.usage && typeof m.usage.input_tokens === 'number'
    ? (m as Message)
    : undefined;
}

function toReply(customId: string, m: Message): JudgeReply {
  const text = m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const u = m.usage;
  // cache reads and writes are input tokens too, billed at other rates; counted as input here
  const inputTokens = u.input_tokens + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
  return { customId, text, model: m.model, usage: { inputTokens, outputTokens: u.output_tokens } };
}

function toItem(line: Anthropic.Messages.MessageBatchIndividualResponse): BatchItemResult {
  const r = line.result;
  if (r.type === 'succeeded') return { customId: line.custom_id, reply: toReply(line.custom_id, r.message) };
  if (r.type === 'errored')
    return { customId: line.custom_id, error: `errored: ${r.error.error.type}: ${r.error.error.message}` };
  return { customId: line.custom_id, error: r.type };
}
