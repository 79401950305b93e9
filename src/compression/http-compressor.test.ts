import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriftwatchError } from '../errors.js';
import { countTokens } from '../routing/count-tokens.js';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression } from './evaluate-compression.js';
import { createHttpCompressor } from './http-compressor.js';

const requests: { url?: string; body: { context: string; question?: string; rate: number } }[] = [];
let server: Server;
let base: string;

const readBody = async (req: IncomingMessage) => {
  let s = '';
  for await (const chunk of req) s += chunk;
  return s;
};

/** Speaks the LLMLingua-style wire format: keeps the first `rate` share of words. Fails on unknown routes. */
beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req));
    requests.push({ url: req.url, body });
    if (req.url === '/compress') {
      const words = body.context.split(' ');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          compressed_prompt: words.slice(0, Math.round(words.length * body.rate)).join(' '),
          origin_tokens: 999,
        }),
      );
    } else if (req.url === '/broken') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"text": "no field"}');
    } else {
      res.writeHead(503);
      res.end('overloaded');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const context = Array.from({ length: 40 }, (_, i) => `Sentence ${i} mentions item ${i}.`).join(' ');

describe('createHttpCompressor', () => {
  it('posts context, question and rate, and re-measures the reply with our tokenizer', async () => {
    const c = createHttpCompressor({ name: 'llmlingua2', url: `${base}/compress` });
    const out = await c.compress(context, { question: 'Which item?', targetRatio: 0.5 });
    expect(requests.at(-1)).toEqual({ url: '/compress', body: { context, question: 'Which item?', rate: 0.5 } });
    expect(out.originalTokens).toBe(countTokens(context));
    expect(out.compressedTokens).toBe(countTokens(out.text));
    expect(out.achievedRatio).toBeCloseTo(out.compressedTokens / out.originalTokens, 12);
  });

  it('runs in the evaluator next to the built-ins once registered', async () => {
    const registry = createCompressorRegistry([createHttpCompressor({ name: 'llmlingua2', url: `${base}/compress` })]);
    const items = [{ id: 'a', context, question: 'Which item comes last?', answers: ['item 39'] }];
    const ev = await evaluateCompression({
      dataset: { name: 't', items },
      compressors: [registry.get('llmlingua2')!],
      ratios: [0.5, 1],
    });
    expect(ev.rows.map((r) => r.answerRetention)).toEqual([0, 1]);
  });

  it('fails with a clear error on HTTP errors and malformed replies', async () => {
    await expect(
      createHttpCompressor({ name: 'x', url: `${base}/down` }).compress(context, { targetRatio: 0.5 }),
    ).rejects.toThrow(/HTTP 503: overloaded/);
    await expect(
      createHttpCompressor({ name: 'x', url: `${base}/broken` }).compress(context, { targetRatio: 0.5 }),
    ).rejects.toThrow(/lacks a string "compressed_prompt"/);
    await expect(
      createHttpCompressor({ name: 'x', url: 'http://127.0.0.1:1/compress' }).compress(context, { targetRatio: 0.5 }),
    ).rejects.toBeInstanceOf(DriftwatchError);
  });
});
