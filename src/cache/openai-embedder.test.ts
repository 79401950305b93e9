import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiEmbedder } from './openai-embedder.js';

/** A local server speaking the embeddings wire format; fails on unknown routes. */
const requests: {
  url?: string;
  auth?: string;
  body: { model: string; input: string[]; encoding_format?: string; dimensions?: number };
}[] = [];
let server: Server;
let baseURL: string;
let size = 4;

const vectorFor = (text: string) => Array.from({ length: size }, (_, i) => (i === text.length % size ? 3 : 0) + 1);
const toBase64 = (v: number[]) => Buffer.from(new Float32Array(v).buffer).toString('base64');

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/embeddings') {
      res.writeHead(404).end(JSON.stringify({ error: { message: `unknown route ${req.url}` } }));
      return;
    }
    const body = JSON.parse(await readBody(req));
    requests.push({ url: req.url, auth: req.headers.authorization, body });
    // Reversed order: the client must match vectors by index, not position.
    const data = body.input
      .map((t: string, index: number) => ({
        object: 'embedding',
        index,
        embedding: body.encoding_format === 'base64' ? toBase64(vectorFor(t)) : vectorFor(t),
      }))
      .reverse();
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('createOpenAiEmbedder', () => {
  it('batches inputs, decodes base64, matches by index and L2-normalises', async () => {
    requests.length = 0;
    size = 4;
    const client = new OpenAI({ apiKey: 'sk-test', baseURL, maxRetries: 0 });
    const e = createOpenAiEmbedder({ client, model: 'local-embed', dims: 4, batchSize: 2 });
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const out = await e.embed(texts);
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(requests[0].body.encoding_format).toBe('base64');
    expect(requests[0].auth).toBe('Bearer sk-test');
    expect(out[1]).toEqual(expect.arrayContaining([expect.closeTo(4 / Math.sqrt(19), 6)]));
    for (const [i, v] of out.entries()) {
      expect(v.indexOf(Math.max(...v))).toBe(texts[i].length % 4);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
    expect(e.id).toBe('openai:local-embed:4');
  });

  it('asks text-embedding-3-small for a reduced size via `dimensions`', async () => {
    requests.length = 0;
    size = 512;
    const e = createOpenAiEmbedder({ client: new OpenAI({ apiKey: 'k', baseURL, maxRetries: 0 }), dims: 512 });
    const [v] = await e.embed(['hello']);
    expect(v).toHaveLength(512);
    expect(requests[0].body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 512 });
  });

  it('names both sizes when the server returns another size than configured', async () => {
    size = 8;
    const e = createOpenAiEmbedder({
      client: new OpenAI({ apiKey: 'k', baseURL, maxRetries: 0 }),
      model: 'local-embed',
      dims: 4,
    });
    await expect(e.embed(['x'])).rejects.toThrow(/8-dimensional vector .* configured for 4/);
  });

  it('builds a client given as a function once, on the first embed()', async () => {
    requests.length = 0;
    size = 4;
    let built = 0;
    const client = async () => {
      built++;
      return new OpenAI({ apiKey: 'sk-lazy', baseURL, maxRetries: 0 });
    };
    const e = createOpenAiEmbedder({ client, model: 'local-embed', dims: 4 });
    expect([e.id, built, requests.length]).toEqual(['openai:local-embed:4', 0, 0]);
    await e.embed(['a']);
    await e.embed(['bb']);
    expect(built).toBe(1);
    expect(requests.map((r) => r.auth)).toEqual(['Bearer sk-lazy', 'Bearer sk-lazy']);
  });
});
