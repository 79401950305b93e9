import { DriftwatchError } from '../errors.js';
import { countTokens } from '../routing/count-tokens.js';
import type { Compressor, CompressOptions, CompressionResult } from './compressor.js';
import { measure } from './fill-budget.js';

/** Where and how to reach an external compression service (e.g. an LLMLingua-2 server). */
export interface HttpCompressorOptions {
  name: string;
  /** POST endpoint, e.g. http://127.0.0.1:8000/compress */
  url: string;
  timeoutMs?: number;
  /** Injected for tests and proxies; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * A compressor behind HTTP. Request: `{"context", "question"?, "rate"}` (rate = target ratio, as
 * LLMLingua's `compress_prompt(rate=...)`); response: `{"compressed_prompt": "..."}`, the field
 * LLMLingua returns. Ratios are re-measured with our tokenizer; the service's own counts are ignored.
 */
export function createHttpCompressor(options: HttpCompressorOptions): Compressor {
  const doFetch = options.fetch ?? fetch;
  return {
    name: options.name,
    targetsRatio: true,
    usesQuestion: true,
    async compress(context: string, opts: CompressOptions = {}): Promise<CompressionResult> {
      const body = JSON.stringify({ context, question: opts.question, rate: opts.targetRatio ?? 1 });
      let res: Response;
      try {
        res = await doFetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
        });
      } catch (err) {
        throw new DriftwatchError(
          'compression_service',
          `${options.name}: ${options.url} unreachable (${(err as Error).message}); is the compression service running?`,
          { cause: err },
        );
      }
      const text = await res.text();
      if (!res.ok)
        throw new DriftwatchError(
          'compression_service',
          `${options.name}: ${options.url} answered HTTP ${res.status}: ${text.slice(0, 200)}`,
        );
      const compressed = parseReply(text, options);
      return measure(countTokens(context), compressed);
    },
  };
}

function parseReply(text: string, options: HttpCompressorOptions): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DriftwatchError(
      'compression_service',
      `${options.name}: ${options.url} did not return JSON: ${text.slice(0, 200)}`,
    );
  }
  const value = (json as { compressed_prompt?: unknown } | null)?.compressed_prompt;
  if (typeof value !== 'string')
    throw new DriftwatchError(
      'compression_service',
      `${options.name}: ${options.url} reply lacks a string "compressed_prompt"`,
    );
  return value;
}
