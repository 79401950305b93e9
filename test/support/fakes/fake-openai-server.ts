import {
  fakeTokens,
  markerJudge,
  startFakeHttp,
  type FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type ScriptedJudge,
  type UsagePlan,
} from './fake-http.js';
import type { FakeItemOutcome } from './fake-anthropic-server.js';

/** Options of the OpenAI fake on top of the shared ones. */
export interface FakeOpenAiOptions extends FakeServerOptions {
  judge?: ScriptedJudge;
  /** Reported usage (default: the fake's own count of prompt and reply). */
  usage?: UsagePlan;
  /** Batch retrieves answered in_progress before the batch completes (default 1). */
  pollsUntilEnded?: number;
  itemOutcome?: (customId: string, index: number) => FakeItemOutcome;
}

interface ChatParams {
  model: string;
  max_tokens?: number;
  max_completion_tokens?: number;
  messages: { role: string; content: string }[];
}
interface BatchLine {
  custom_id: string;
  method: string;
  url: string;
  body: ChatParams;
}
interface FakeBatch {
  id: string;
  inputFileId: string;
  lines: BatchLine[];
  outcomes: FakeItemOutcome[];
  polls: number;
  outputFileId?: string;
  errorFileId?: string;
}

/** The fake plus the batches and files it holds. */
export interface FakeOpenAiServer extends FakeServer {
  batches: FakeBatch[];
  files: Map<string, string>;
}

/**
 * A local server speaking the OpenAI chat completions, files and batches wire format
 * (stack-probe.md section 7). Output files list results in REVERSE submission order.
 */
export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAiServer> {
  const judge = options.judge ?? markerJudge();
  const outcome = options.itemOutcome ?? (() => 'succeeded' as const);
  const files = new Map<string, string>();
  const batches: FakeBatch[] = [];
  let uploads = 0;
  const completion = (p: ChatParams) => {
    const system = p.messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n');
    const prompt = p.messages
      .filter((m) => m.role !== 'system')
      .map((m) => m.content)
      .join('\n');
    const text = judge({ system, prompt, model: p.model });
    const maxTokens = p.max_tokens ?? p.max_completion_tokens ?? 0;
    const u = options.usage?.({
      promptTokens: fakeTokens(system + prompt),
      replyTokens: fakeTokens(text),
      maxTokens,
    }) ?? { inputTokens: fakeTokens(system + prompt), outputTokens: fakeTokens(text) };
    const usage = { prompt_tokens: u.inputTokens, completion_tokens: u.outputTokens };
    return {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: p.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: text, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    };
  };
  const finish = (b: FakeBatch) => {
    const out: string[] = [];
    const err: string[] = [];
    b.lines.forEach((l, i) => {
      const o = b.outcomes[i]!;
      if (o === 'succeeded')
        out.push(
          JSON.stringify({
            id: `br_${i}`,
            custom_id: l.custom_id,
            response: { status_code: 200, request_id: `r${i}`, body: completion(l.body) },
            error: null,
          }),
        );
      else if (o === 'errored')
        err.push(
          JSON.stringify({
            id: `br_${i}`,
            custom_id: l.custom_id,
            response: {
              status_code: 400,
              request_id: `r${i}`,
              body: { error: { message: 'fake item error', type: 'invalid_request_error' } },
            },
            error: null,
          }),
        );
      else
        err.push(
          JSON.stringify({
            id: `br_${i}`,
            custom_id: l.custom_id,
            response: null,
            error: { code: `batch_${o === 'expired' ? 'expired' : 'cancelled'}`, message: `fake ${o}` },
          }),
        );
    });
    b.outputFileId = `file-out-${b.id}`;
    files.set(b.outputFileId, out.reverse().join('\n') + (out.length ? '\n' : ''));
    if (err.length) {
      b.errorFileId = `file-err-${b.id}`;
      files.set(b.errorFileId, err.reverse().join('\n') + '\n');
    }
  };
  const view = (b: FakeBatch) => {
    const done = b.polls > (options.pollsUntilEnded ?? 1);
    if (done && !b.outputFileId) finish(b);
    const failed = done ? b.outcomes.filter((o) => o !== 'succeeded').length : 0;
    return {
      id: b.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: b.inputFileId,
      completion_window: '24h',
      status: done ? 'completed' : 'in_progress',
      output_file_id: done ? b.outputFileId : null,
      error_file_id: done ? (b.errorFileId ?? null) : null,
      created_at: Math.floor(Date.now() / 1000),
      request_counts: { total: b.lines.length, completed: done ? b.lines.length - failed : 0, failed },
    };
  };
  const server = await startFakeHttp(
    [
      {
        method: 'POST',
        pattern: /^\/v1\/chat\/completions$/,
        handler: (req: RecordedRequest) => {
          const c = completion(req.json as ChatParams);
          req.usage = { inputTokens: c.usage.prompt_tokens, outputTokens: c.usage.completion_tokens };
          return { status: 200, json: c };
        },
      },
      {
        method: 'POST',
        pattern: /^\/v1\/files$/,
        handler: async (req) => {
          const form = await new Response(req.body, {
            headers: { 'content-type': String(req.headers['content-type']) },
          }).formData();
          const file = form.get('file') as File;
          const id = `file-in-${++uploads}`; // not files.size: concurrent uploads would share an id
          files.set(id, await file.text());
          return {
            status: 200,
            json: {
              id,
              object: 'file',
              bytes: file.size,
              created_at: 0,
              filename: file.name,
              purpose: form.get('purpose'),
              status: 'processed',
            },
          };
        },
      },
      {
        method: 'POST',
        pattern: /^\/v1\/batches$/,
        handler: (req) => {
          const { input_file_id } = req.json as { input_file_id: string };
          const content = files.get(input_file_id);
          if (content === undefined)
            return {
              status: 400,
              json: { error: { message: `no file ${input_file_id}`, type: 'invalid_request_error' } },
            };
          const lines = content
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as BatchLine);
          // each item's outcome is decided once, when the batch is created
          const b: FakeBatch = {
            id: `batch_${batches.length + 1}_${Math.random().toString(36).slice(2, 8)}`,
            inputFileId: input_file_id,
            lines,
            outcomes: lines.map((l, i) => outcome(l.custom_id, i)),
            polls: 0,
          };
          batches.push(b);
          return { status: 200, json: view(b) };
        },
      },
      {
        method: 'GET',
        pattern: /^\/v1\/batches\/([^/]+)$/,
        handler: (_req, [id]) => {
          const b = batches.find((x) => x.id === id);
          if (!b) return { status: 404, json: { error: { message: `no batch ${id}`, type: 'invalid_request_error' } } };
          b.polls++;
          return { status: 200, json: view(b) };
        },
      },
      {
        method: 'GET',
        pattern: /^\/v1\/files\/([^/]+)\/content$/,
        handler: (_req, [id]) => {
          const f = files.get(id!);
          return f === undefined
            ? { status: 404, json: { error: { message: `no file ${id}`, type: 'invalid_request_error' } } }
            : { status: 200, text: f };
        },
      },
    ],
    options,
  );
  return Object.assign(server, { batches, files });
}
