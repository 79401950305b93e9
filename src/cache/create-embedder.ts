import type { Env } from '../config/load-env.js';
import { ConfigError } from '../errors.js';
import type { Embedder } from './embedder.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createLocalEmbedder, LOCAL_EMBEDDER_DIMS } from './local-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

/**
 * Which embedder the cache uses: auto = OpenAI (or the OpenAI-compatible OPENAI_BASE_URL) when
 * OPENAI_API_KEY is set, else the offline local sentence model; lexical = hashed n-grams.
 */
export type EmbedderChoice = 'auto' | 'local' | 'lexical' | 'openai';

/**
 * Builds the configured embedder; the API key comes only from Env and is never logged. The local
 * model is loaded on its first embed() call, not here.
 */
export function createEmbedder(
  env: Env,
  o: { embedder?: EmbedderChoice; model?: string; dims?: number } = {},
): Embedder {
  const choice = o.embedder ?? 'auto';
  if (choice === 'lexical') return createLexicalEmbedder(o.dims ? { dims: o.dims } : {});
  if (choice === 'local' || (choice === 'auto' && !env.openaiApiKey)) {
    // under auto, embeddingModel/embeddingDims describe the OpenAI model used when a key is set
    if (choice === 'local' && o.dims !== undefined && o.dims !== LOCAL_EMBEDDER_DIMS)
      throw new ConfigError(
        `cache.embeddingDims is ${o.dims}, but the local embedder (Universal Sentence Encoder lite) returns ${LOCAL_EMBEDDER_DIMS} dimensions; remove cache.embeddingDims or set it to ${LOCAL_EMBEDDER_DIMS}`,
      );
    if (o.model !== undefined && choice === 'local')
      throw new ConfigError(
        'cache.embeddingModel names an OpenAI-compatible model; the local embedder has one built-in model (remove cache.embeddingModel, or use cache.embedder: openai)',
      );
    return createLocalEmbedder();
  }
  if (!env.openaiApiKey)
    throw new ConfigError(
      'cache.embedder is openai but OPENAI_API_KEY is not set; set it, or use cache.embedder: local (offline sentence model) or lexical (offline, lexical similarity only)',
    );
  const { openaiApiKey: apiKey, openaiBaseUrl: baseURL } = env;
  // the SDK is imported on the first embed(), not when the cache is set up
  const client = async () => new (await import('openai')).default({ apiKey, baseURL, maxRetries: 3 });
  return createOpenAiEmbedder({ client, model: o.model, dims: o.dims });
}
