import OpenAI, { toFile } from 'openai';
import type { BatchItemResult, BatchStatus, JudgeClient, JudgeReply, JudgeRequest } from '../judge-client.js';
import type { AttemptMeter } from './meter-attempts.js';
import { readReplyBody } from './read-reply-body.js';
import { toJudgeError } from './to-judge-error.js';

/** A constructed SDK client (any OpenAI-compatible base URL) and the judge model. */
export interface OpenAiJudgeClientOptions {
  client: OpenAI;
  model: string;
  /** `max_completion_tokens` (OpenAI, required by reasoning models) or `max_tokens` (most compatible servers). */
  maxTokensField?: 'max_completion_tokens' | 'max_tokens';
  secrets?: (string | undefined)[];
  /** The attempt meter the SDK's fetch was wrapped with (budget hooks per attempt). */
  meter?: AttemptMeter;
}

type Completion = OpenAI.Chat.Completions.ChatCompletion;
const ENDPOINT = '/v1/chat/completions';

/** JudgeClient over OpenAI chat completions and the files + batches APIs. */
export function createOpenAiJudgeClient({
  client,
  model,
  maxTokensField = 'max_completion_tokens',
  secrets,
  meter,
}: OpenAiJudgeClientOptions): JudgeClient {
  const fail = (what: string, err: unknown) =>
    toJudgeError(err, OpenAI, { provider: 'openai', what: `${what} (model ${model})`, secrets });
  const body = (r: JudgeRequest) => ({
    model,
    [maxTokensField]: r.maxTokens,
    messages: [
      { role: 'system' as const, content: r.system },
      { role: 'user' as const, content: r.prompt },
    ],
  });
  return {
    provider: 'openai',
    model,
    baseUrl: client.baseURL,
    async complete(req, options = {}) {
      const call = meter?.register(options.attempts, options.signal);
      try {
        // the raw response, parsed here: an HTML page or a truncated body on 200 is a malformed reply, not a crash
        const res = await client.chat.completions
          .create({ ...body(req), stream: false } as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, {
            signal: call?.signal ?? options.signal,
            headers: call?.headers,
          })
          .asResponse();
        return toReply(
          req.customId,
          await readReplyBody(res, `openai chat.completions.create for ${req.customId}`, asCompletion),
        );
      } catch (err) {
        throw fail(`chat.completions.create for ${req.customId}`, err);
      } finally {
        call?.done();
      }
    },
    async startBatch(reqs) {
      const jsonl = `${reqs
        .map((r) => JSON.stringify({ custom_id: r.customId, method: 'POST', url: ENDPOINT, body: body(r) }))
        .join('\n')}\n`;
      try {
        const file = await client.files.create({
          file: await toFile(Buffer.from(jsonl, 'utf8'), 'driftwatch-judge.jsonl'),
          purpose: 'batch',
        });
        const batch = await client.batches.create({
          input_file_id: file.id,
          endpoint: ENDPOINT,
          completion_window: '24h',
        });
        return { batchId: batch.id };
      } catch (err) {
        throw fail(`files.create + batches.create of ${reqs.length} requests`, err);
      }
    },
    async checkBatch(batchId) {
      try {
        const b = await client.batches.retrieve(batchId);
        const c = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
        return { status: toStatus(b.status), done: c.completed + c.failed, total: c.total };
      } catch (err) {
        throw fail(`batches.retrieve ${batchId}`, err);
      }
    },
    async *readBatch(batchId): AsyncIterable<BatchItemResult> {
      let texts: string[];
      try {
        const b = await client.batches.retrieve(batchId);
        const ids = [b.output_file_id, b.error_file_id].filter((x): x is string => Boolean(x));
        texts = await Promise.all(ids.map(async (id) => (await client.files.content(id)).text()));
      } catch (err) {
        throw fail(`reading results of batch ${batchId}`, err);
      }
      for (const text of texts)
        for (const line of text.split('\n')) if (line.trim()) yield toItem(JSON.parse(line) as OutputLine);
    },
  };
}

interface OutputLine {
  custom_id: string;
  response: { status_code: number; body: unknown } | null;
  error: { code?: string; message?: string } | null;
}

function toStatus(s: OpenAI.Batches.Batch['status']): BatchStatus {
  if (s === 'completed') return 'ended';
  if (s === 'failed') return 'failed';
  // an expired OpenAI batch still has the finished part in its output file
  if (s === 'expired') return 'expired';
  if (s === 'cancelled') return 'canceled';
  return 'in_progress';
}

function asCompletion(json: unknown): Completion | undefined {
  const c = json as Partial<Completion> | null;
  return c && typeof c === 'object' && Array.isArray(c.choices) && c.choices.length > 0 ? (c as Completion) : undefined;
}

function toReply(customId: string, c: Completion): JudgeReply {
  const text = c.choices[0]?.message.content ?? '';
  return {
    customId,
    text,
    model: c.model,
    usage: { inputTokens: c.usage?.prompt_tokens ?? 0, outputTokens: c.usage?.completion_tokens ?? 0 },
  };
}

function toItem(line: OutputLine): BatchItemResult {
  if (line.response && line.response.status_code === 200)
    return { customId: line.custom_id, reply: toReply(line.custom_id, line.response.body as Completion) };
  const why =
    line.error?.message ??
    JSON.stringify((line.response?.body as { error?: unknown } | undefined)?.error ?? line.response?.body);
  return { customId: line.custom_id, error: `${line.error?.code ?? `HTTP ${line.response?.status_code}`}: ${why}` };
}
