import OpenAI from 'openai';
import type { Env } from '../config/load-env.js';
import { ConfigError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

/** Which embedder the cache uses: auto = OpenAI when OPENAI_API_KEY is set, else the offline lexical one. */
export type EmbedderChoice = 'auto' | 'lexical' | 'openai';

/** Builds the configured embedder; the API key comes only from Env and is never logged. */
export function createEmbedder(env: Env, o: { embedder?: EmbedderChoice; model?: string; dims?: number } = {}): Embedder {
  const choice = o.embedder ?? 'auto';
  if (choice === 'lexical' || (choice === 'auto' && !env.openaiApiKey)) return createLexicalEmbedder(o.dims ? { dims: o.dims } : {});
  if (!env.openaiApiKey) throw new ConfigError('cache.embedder is openai but OPENAI_API_KEY is not set; set it, or use cache.embedder: lexical (offline, lexical similarity only)');
  const client = new OpenAI({ apiKey: env.openaiApiKey, baseURL: env.openaiBaseUrl, maxRetries: 3 });
  return createOpenAiEmbedder({ client, model: o.model, dims: o.dims });
}
