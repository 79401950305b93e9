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

/** How one batch item ends at the fake. */
export type FakeItemOutcome = 'succeeded' | 'errored' | 'expired' | 'canceled';

/** Options of the Anthropic fake on top of the shared ones. */
export interface FakeAnthropicOptions extends FakeServerOptions {
  judge?: ScriptedJudge;
  /** Reported usage (default: the fake's own count of prompt and reply). */
  usage?: UsagePlan;
  /** Number of batch retrieves answered in_progress before the batch ends (default 1). */
  pollsUntilEnded?: number;
  itemOutcome?: (customId: string, index: number) => FakeItemOutcome;
}

interface FakeBatch {
  id: string;
  requests: { custom_id: string; params: MessageParams }[];
  outcomes: FakeItemOutcome[];
  polls: number;
  createdAt: string;
}
interface MessageParams {
  model: string;
  max_tokens: number;
  system?: string;
  messages: { role: string; content: string }[];
}

/** The fake plus what it holds: created batches, in creation order. */
export interface FakeAnthropicServer extends FakeServer {
  batches: FakeBatch[];
}

/**
 * A local server speaking the Anthropic Messages and Message Batches wire format
 * (stack-probe.md section 7). Batch results come back in REVERSE submission order.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
  const state: AnthropicState = {
    options,
    message: createMessage(options),
    batches: new Map(),
    order: [],
    base: '',
  };
  const server = await startFakeHttp([messageRoute(state), ...batchRoutes(state)], options);
  state.base = server.url;
  return Object.assign(server, { batches: state.order });
}

/** What the fake's routes share: the options, the scripted message and the created batches. */
interface AnthropicState {
  options: FakeAnthropicOptions;
  message: ReturnType<typeof createMessage>;
  batches: Map<string, FakeBatch>;
  order: FakeBatch[];
  /** The server's URL, for results_url. */
  base: string;
}

/** A Messages API reply for a request: the judge's text, and usage as planned or counted. */
function createMessage(options: FakeAnthropicOptions) {
  const judge = options.judge ?? markerJudge();
  const usageOf = (p: MessageParams, prompt: string, text: string) => {
    const own = { inputTokens: fakeTokens((p.system ?? '') + prompt), outputTokens: fakeTokens(text) };
    const u =
      options.usage?.({ promptTokens: own.inputTokens, replyTokens: own.outputTokens, maxTokens: p.max_tokens }) ?? own;
    return { input_tokens: u.inputTokens, output_tokens: u.outputTokens };
  };
  return (p: MessageParams) => {
    const prompt = p.messages.map((m) => m.content).join('\n');
    const text = judge({ system: p.system ?? '', prompt, model: p.model });
    return {
      id: `msg_${Math.random().toString(36).slice(2)}`,
      type: 'message',
      role: 'assistant',
      model: p.model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: usageOf(p, prompt, text),
    };
  };
}

/** The message batch object as the API returns it; it ends after `pollsUntilEnded` retrieves. */
function batchView(state: AnthropicState, b: FakeBatch) {
  const ended = b.polls > (state.options.pollsUntilEnded ?? 1);
  const count = (o: FakeItemOutcome) => (ended ? b.outcomes.filter((x) => x === o).length : 0);
  return {
    id: b.id,
    type: 'message_batch',
    processing_status: ended ? 'ended' : 'in_progress',
    request_counts: {
      processing: ended ? 0 : b.requests.length,
      succeeded: count('succeeded'),
      errored: count('errored'),
      canceled: count('canceled'),
      expired: count('expired'),
    },
    created_at: b.createdAt,
    expires_at: b.createdAt,
    ended_at: ended ? new Date().toISOString() : null,
    cancel_initiated_at: null,
    archived_at: null,
    results_url: ended ? `${state.base}/v1/messages/batches/${b.id}/results` : null,
  };
}

/** One JSONL line of a batch's results. */
function resultLine(state: AnthropicState, b: FakeBatch, i: number): string {
  const r = b.requests[i]!;
  const outcome = b.outcomes[i]!;
  const result =
    outcome === 'succeeded'
      ? { type: 'succeeded', message: state.message(r.params) }
      : outcome === 'errored'
        ? {
            type: 'errored',
            error: { type: 'error', error: { type: 'invalid_request_error', message: 'fake item error' } },
          }
        : { type: outcome };
  return JSON.stringify({ custom_id: r.custom_id, result });
}

/** POST /v1/messages. */
function messageRoute(state: AnthropicState): Route {
  return {
    method: 'POST',
    pattern: /^\/v1\/messages$/,
    handler: (req: RecordedRequest) => {
      const m = state.message(req.json as MessageParams);
      req.usage = { inputTokens: m.usage.input_tokens, outputTokens: m.usage.output_tokens };
      return { status: 200, json: m };
    },
  };
}

const noBatch = (id: string | undefined) => ({
  status: 404,
  json: { type: 'error', error: { type: 'not_found_error', message: `no batch ${id}` } },
});

/** POST /v1/messages/batches, GET /v1/messages/batches/:id and GET .../:id/results. */
function batchRoutes(state: AnthropicState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/v1\/messages\/batches$/,
      handler: (req) => {
        const requests = (req.json as { requests: FakeBatch['requests'] }).requests;
        const outcome = state.options.itemOutcome ?? (() => 'succeeded' as const);
        const b: FakeBatch = {
          id: `msgbatch_${state.order.length + 1}_${Math.random().toString(36).slice(2, 8)}`,
          requests,
          // each item's outcome is decided once, when the batch is created
          outcomes: requests.map((r, i) => outcome(r.custom_id, i)),
          polls: 0,
          createdAt: new Date().toISOString(),
        };
        state.batches.set(b.id, b);
        state.order.push(b);
        return { status: 200, json: batchView(state, b) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/messages\/batches\/([^/]+)$/,
      handler: (_req, [id]) => {
        const b = state.batches.get(id!);
        if (!b) return noBatch(id);
        b.polls++;
        return { status: 200, json: batchView(state, b) };
      },
    },
    {
      method: 'GET',
      pattern: /^\/v1\/messages\/batches\/([^/]+)\/results$/,
      handler: (_req, [id]) => {
        const b = state.batches.get(id!);
        if (!b) return noBatch(id);
        const lines = b.requests.map((_, i) => resultLine(state, b, i)).reverse();
        return { status: 200, text: `${lines.join('\n')}\n` };
      },
    },
  ];
}
