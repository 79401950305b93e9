import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request the fake saw, in arrival order. */
export interface RecordedRequest {
  n: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  json?: unknown;
  fault?: 'rate_limited' | 'server_error' | 'hang' | 'html' | 'truncated';
  /** Usage the provider fake reported (and would bill) for this request, set once it was processed. */
  usage?: { inputTokens: number; outputTokens: number };
}

/** Fault injection over the n-th (1-based) request whose route counts as work. */
export interface FaultPlan {
  /** Every k-th request is answered 429 with `retry-after-ms` / `retry-after`. */
  rateLimitEvery?: number;
  retryAfterMs?: number;
  /** Sent as `retry-after` (seconds) instead of retry-after-ms when set. */
  retryAfterSeconds?: number;
  /** Requests answered 500 (by request number). */
  serverErrorWhen?: (n: number) => boolean;
  /** Requests that never get an answer (the client times out). */
  hangWhen?: (n: number) => boolean;
  /**
   * Count and fault only first attempts (the SDKs' `x-stainless-retry-count: 0`), so each call
   * meets at most one fault and succeeds on its first retry. Without it, concurrent calls can
   * line their retries up on every k-th request and exhaust the SDK's retries at random.
   */
  firstAttemptsOnly?: boolean;
  /** Requests answered 200 with a body that is not the API's JSON: an HTML page or a truncated object. */
  malformedWhen?: (n: number, json: unknown) => 'html' | 'truncated' | undefined;
  /** Requests answered 500 on every attempt, chosen by their body (a call that fails for good). */
  serverErrorFor?: (json: unknown) => boolean;
  /** Requests whose connection is destroyed after the request was processed (and billed). */
  resetWhen?: (n: number) => boolean;
}

/** Options shared by the provider fakes. */
export interface FakeServerOptions {
  latencyMs?: number;
  /** Latency per request number (overrides latencyMs): slow replies. */
  latencyFor?: (n: number) => number;
  faults?: FaultPlan;
  /** Bearer key the fake requires; requests without it get 401. */
  apiKey?: string;
}

/** What a route returns: a status and a JSON body, or raw text (JSONL). */
export type RouteResult = { status: number; json?: unknown; text?: string; headers?: Record<string, string> };
export type RouteHandler = (req: RecordedRequest, params: string[]) => RouteResult | Promise<RouteResult>;
export interface Route {
  method: string;
  pattern: RegExp;
  handler: RouteHandler;
  faults?: boolean;
}

/** A running fake: its base URL, everything it saw, and close(). */
export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  unknownRoutes: string[];
  close(): Promise<void>;
}

/**
 * Starts a node:http server on 127.0.0.1:0 dispatching to `routes`. Records every request,
 * answers 404 (and remembers it) on unknown routes, checks Bearer auth, adds latency and faults.
 */
export async function startFakeHttp(routes: Route[], options: FakeServerOptions = {}): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const unknownRoutes: string[] = [];
  const sockets = new Set<Socket>();
  let workCount = 0;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err) =>
      send(res, { status: 500, json: { error: { type: 'fake_bug', message: String(err) } } }),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0]!;
    const rec: RecordedRequest = {
      n: requests.length + 1,
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      body,
    };
    if (body.length && String(req.headers['content-type']).includes('json'))
      rec.json = JSON.parse(body.toString('utf8'));
    requests.push(rec);
    const route = routes.find((r) => r.method === rec.method && r.pattern.test(path));
    if (!route) {
      unknownRoutes.push(`${rec.method} ${path}`);
      return send(res, {
        status: 404,
        json: { error: { type: 'not_found_error', message: `fake: no route ${rec.method} ${path}` } },
      });
    }
    if (
      options.apiKey &&
      req.headers.authorization !== `Bearer ${options.apiKey}` &&
      req.headers['x-api-key'] !== options.apiKey
    ) {
      return send(res, {
        status: 401,
        json: { error: { type: 'authentication_error', message: 'invalid x-api-key' } },
      });
    }
    const latency = options.latencyFor?.(rec.n) ?? options.latencyMs;
    if (latency) await new Promise((r) => setTimeout(r, latency));
    const retry = Number(req.headers['x-stainless-retry-count'] ?? 0) > 0;
    let n = 0;
    if (route.faults !== false && !(retry && options.faults?.firstAttemptsOnly)) {
      n = ++workCount;
      const fault =
        pickFault(n, options.faults) ?? (options.faults?.serverErrorFor?.(rec.json) ? 'server_error' : undefined);
      if (fault) {
        rec.fault = fault;
        if (fault === 'hang') return; // never answered; the client's timeout fires
        return send(res, faultResponse(fault, options.faults!));
      }
    }
    const params = path.match(route.pattern)!.slice(1);
    const result = await route.handler(rec, params); // processed (and billed) even when the client has gone
    const bad = n ? options.faults?.malformedWhen?.(n, rec.json) : undefined;
    if (bad) {
      rec.fault = bad;
      const body = JSON.stringify(result.json ?? {});
      if (bad === 'html')
        return sendRaw(
          res,
          200,
          'text/html',
          '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream sk-ant-api03-LEAKEDKEY0123456789abcdef</p></body></html>',
        );
      return sendRaw(res, 200, 'application/json', body.slice(0, Math.floor(body.length / 2)));
    }
    if (n && options.faults?.resetWhen?.(n)) return void res.destroy();
    send(res, result);
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unknownRoutes,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function pickFault(n: number, f: FaultPlan | undefined): 'rate_limited' | 'server_error' | 'hang' | undefined {
  if (!f) return undefined;
  if (f.hangWhen?.(n)) return 'hang';
  if (f.rateLimitEvery && n % f.rateLimitEvery === 0) return 'rate_limited';
  if (f.serverErrorWhen?.(n)) return 'server_error';
  return undefined;
}

function faultResponse(fault: 'rate_limited' | 'server_error', f: FaultPlan): RouteResult {
  if (fault === 'server_error') {
    return {
      status: 500,
      json: { type: 'error', error: { type: 'api_error', message: 'fake internal error' } },
      headers: { 'retry-after-ms': String(f.retryAfterMs ?? 5) },
    };
  }
  const headers: Record<string, string> =
    f.retryAfterSeconds !== undefined
      ? { 'retry-after': String(f.retryAfterSeconds) }
      : { 'retry-after-ms': String(f.retryAfterMs ?? 5) };
  return {
    status: 429,
    json: { type: 'error', error: { type: 'rate_limit_error', message: 'fake rate limit' } },
    headers,
  };
}

function sendRaw(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'request-id': `req_${Date.now()}` });
  res.end(body);
}

/** Total cost the fake would have billed: every processed request's usage, at `price` per 1M tokens. */
export function billedUsd(requests: RecordedRequest[], price: { inputPerM: number; outputPerM: number }): number {
  return requests.reduce(
    (sum, r) =>
      sum + (r.usage ? (r.usage.inputTokens * price.inputPerM + r.usage.outputTokens * price.outputPerM) / 1e6 : 0),
    0,
  );
}

function send(res: ServerResponse, r: RouteResult): void {
  if (res.headersSent || res.destroyed) return;
  const body = r.text ?? JSON.stringify(r.json ?? {});
  res.writeHead(r.status, {
    'content-type': r.text !== undefined ? 'application/octet-stream' : 'application/json',
    'request-id': `req_${Date.now()}`,
    ...r.headers,
  });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The fake reference model: decides a verdict from the prompt it was given. */
export type ScriptedJudge = (input: { system: string; prompt: string; model: string }) => string;

/** How the fake reports usage: by default its own token count; tests make replies long or usage inflated. */
export type UsagePlan = (input: { promptTokens: number; replyTokens: number; maxTokens: number }) => {
  inputTokens: number;
  outputTokens: number;
};

/** The two answers of a pairwise prompt (ANSWER A and ANSWER B blocks), or undefined for a single-answer prompt. */
export function pairwiseAnswers(prompt: string): { a: string; b: string } | undefined {
  const block = (name: string) =>
    prompt.match(new RegExp(`<untrusted-data name="${name}">\\n([\\s\\S]*?)\\n</untrusted-data>`))?.[1];
  const a = block('answer-a');
  const b = block('answer-b');
  return a !== undefined && b !== undefined ? { a, b } : undefined;
}

/**
 * Default scripted judge. Single-answer prompts: "fail" when the judged response carries the planted
 * marker, else "pass". Pairwise prompts: the answer without the marker wins; a tie when both or neither carry it.
 */
export const markerJudge =
  (marker = 'PLANTED_ERROR'): ScriptedJudge =>
  ({ prompt }) => {
    const pair = pairwiseAnswers(prompt);
    if (pair) {
      const [ma, mb] = [pair.a.includes(marker), pair.b.includes(marker)];
      return JSON.stringify({
        winner: ma === mb ? 'tie' : ma ? 'B' : 'A',
        reason: ma === mb ? 'equally good' : 'the other answer carries the planted marker',
      });
    }
    return JSON.stringify(
      prompt.includes(marker)
        ? { verdict: 'fail', reason: 'planted marker found' }
        : { verdict: 'pass', reason: 'matches reference' },
    );
  };

/** A crude token count for fake usage figures (4 characters per token). */
export const fakeTokens = (s: string): number => Math.max(1, Math.ceil(s.length / 4));
