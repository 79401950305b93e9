import {
  fakeTokens,
  markerJudge,
  startFakeHttp,
  type FakeServer,
  type FakeServerOptions,
  type RecordedRequest,
  type Route,
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
  const state: OpenAiState = {
    options,
    completion: createCompletion(options),
    outcome: options.itemOutcome ?? (() => 'succeeded' as const),
    files: new Map(),
    batches: [],
    uploads: 0,
  };
  const server = await startFakeHttp([...completionRoutes(state), ...batchRoutes(state)], options);
  return Object.assign(server, { batches: state.batches, files: state.files });
}

/** What the fake's routes share: the options, the scripted completion and the stored files and batches. */
interface OpenAiState {
  options: FakeOpenAiOptions;
  completion: (p: ChatParams) => ReturnType<ReturnType<typeof createCompletion>>;
  outcome: (customId: string, index: number) => FakeItemOutcome;
  files: Map<string, string>;
  batches: FakeBatch[];
  uploads: number;
}

/** A chat.completion body for a request: the judge's text, and usage as planned or counted. */
function createCompletion(options: FakeOpenAiOptions) {
  const judge = options.judge ?? markerJudge();
  return (p: ChatParams) => {
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
}

/** One line of a batch's output file (succeeded) or error file (errored, expired, cancelled). */
function batchResultLine(state: OpenAiState, l: BatchLine, i: number, o: FakeItemOutcome): string {
  const base = { id: `br_${i}`, custom_id: l.custom_id };
  if (o === 'succeeded')
    return JSON.stringify({
      ...base,
      response: { status_code: 200, request_id: `r${i}`, body: state.completion(l.body) },
      error: null,
    });
  if (o === 'errored')
    return JSON.stringify({
      ...base,
      response: {
        status_code: 400,
        request_id: `r${i}`,
        body: { error: { message: 'fake item error', type: 'invalid_request_error' } },
      },
      error: null,
    });
  return JSON.stringify({
    ...base,
    response: null,
    error: { code: `batch_${o === 'expired' ? 'expired' : 'cancelled'}`, message: `fake ${o}` },
  });
}

/** Ends a batch: writes its output file and, when an item did not succeed, its error file. */
function finishBatch(state: OpenAiState, b: FakeBatch): void {
  const out: string[] = [];
  const err: string[] = [];
  b.lines.forEach((l, i) => {
    const o = b.outcomes[i]!;
    (o === 'succeeded' ? out : err).push(batchResultLine(state, l, i, o));
  });
  b.outputFileId = `file-out-${b.id}`;
  state.files.set(b.outputFileId, out.reverse().join('\n') + (out.length ? '\n' : ''));
  if (err.length) {
    b.errorFileId = `file-err-${b.id}`;
    state.files.set(b.errorFileId, `${err.reverse().join('\n')}\n`);
  }
}

/** The batch object as the API returns it; the batch completes after `pollsUntilEnded` retrieves. */
function batchView(state: OpenAiState, b: FakeBatch) {
  const done = b.polls > (state.options.pollsUntilEnded ?? 1);
  if (done && !b.outputFileId) finishBatch(state, b);
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
}

const notFound = (what: string) => ({
  status: 404,
  json: { error: { message: `no ${what}`, type: 'invalid_request_error' } },
});

/** POST /v1/chat/completions, POST /v1/files (multipart upload) and GET /v1/files/:id/content. */
function completionRoutes(state: OpenAiState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/chat\/completions$/,
      handler: (req: RecordedRequest) => {
        const c = state.completion(req.json as ChatParams);
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
        const id = `file-in-${++state.uploads}`; // not files.size: concurrent uploads would share an id
        state.files.set(id, await file.text());
        const json = { id, object: 'file', bytes: file.size, created_at: 0, filename: file.name };
        return { status: 200, json: { ...json, purpose: form.get('purpose'), status: 'processed' } };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/files\/([^/]+)\/content$/,
      handler: (_req, [id]) => {
        const f = state.files.get(id!);
        return f === undefined ? notFound(`file ${id}`) : { status: 200, text: f };
      },
    },
  ];
}

/** POST /v1/batches (from an uploaded input file) and GET /v1/batches/:id. */
function batchRoutes(state: OpenAiState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/batches$/,
      handler: (req) => {
        const { input_file_id } = req.json as { input_file_id: string };
        const content = state.files.get(input_file_id);
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
          id: `batch_${state.batches.length + 1}_${Math.random().toString(36).slice(2, 8)}`,
          inputFileId: input_file_id,
          lines,
          outcomes: lines.map((l, i) => state.outcome(l.custom_id, i)),
          polls: 0,
        };
        state.batches.push(b);
        return { status: 200, json: batchView(state, b) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/batches\/([^/]+)$/,
      handler: (_req, [id]) => {
        const b = state.batches.find((x) => x.id === id);
        if (!b) return notFound(`batch ${id}`);
        b.polls++;
        return { status: 200, json: batchView(state, b) };
      },
    },
  ];
}
