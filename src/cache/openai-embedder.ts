import type OpenAI from 'openai';
import { assertEmbeddingSize, l2Normalize, type Embedder } from './embedder.js';

/** Options of the OpenAI (or OpenAI-compatible server) embedder. */
export interface OpenAiEmbedderOptions {
  /**
   * A constructed SDK client (its baseURL may point at vLLM, Ollama, LM Studio...), or a function
   * building one, called on the first embed() (so the SDK is imported only when embedding starts).
   */
  client: OpenAI | (() => Promise<OpenAI>);
  /** Default text-embedding-3-small. */
  model?: string;
  /** Vector size; sent as `dimensions` when it differs from the model's native size. Default 1536. */
  dims?: number;
  /** Inputs per request (the API accepts up to 2,048). Default 256. */
  batchSize?: number;
}

const NATIVE_DIMS: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * Semantic embedder over the official openai SDK: batched inputs, the SDK's default base64
 * encoding (decoded by the SDK), results matched by `index`, vectors L2-normalised.
 */
export function createOpenAiEmbedder(o: OpenAiEmbedderOptions): Embedder {
  const model = o.model ?? 'text-embedding-3-small';
  const dims = o.dims ?? NATIVE_DIMS[model] ?? 1536;
  const batchSize = o.batchSize ?? 256;
  const sendDimensions = NATIVE_DIMS[model] !== undefined && NATIVE_DIMS[model] !== dims;
  let built: Promise<OpenAI> | undefined;
  const sdk = async (): Promise<OpenAI> => {
    if (typeof o.client !== 'function') return o.client;
    built ??= o.client();
    return built;
  };
  const embedder: Embedder = {
    id: `openai:${model}:${dims}`,
    kind: 'semantic',
    dims,
    async embed(texts) {
      const out: number[][] = [];
      const client = await sdk();
      for (let i = 0; i < texts.length; i += batchSize) {
        const input = texts.slice(i, i + batchSize);
        const res = await client.embeddings.create({ model, input, ...(sendDimensions ? { dimensions: dims } : {}) });
        const byIndex = [...res.data].sort((a, b) => a.index - b.index);
        if (byIndex.length !== input.length)
          throw new Error(
            `embeddings endpoint returned ${byIndex.length} vectors for ${input.length} inputs (model ${model})`,
          );
        for (const [j, d] of byIndex.entries()) assertEmbeddingSize(embedder, d.embedding, i + j);
        out.push(...byIndex.map((d) => l2Normalize(d.embedding)));
      }
      return out;
    },
  };
  return embedder;
}
