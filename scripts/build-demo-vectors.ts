/**
 * Embeds every Banking77 text the demo's support cache uses with the offline sentence model and writes
 * them to datasets/banking77/use-lite-v1-demo.vec (what `driftwatch demo` reads instead of re-embedding
 * them). Run after a change to the bundled Banking77 files, the model or DEMO_TRAIN_PER_INTENT:
 * npx tsx scripts/build-demo-vectors.ts
 */
import { createLocalEmbedder } from '../src/cache/local-embedder.js';
import { writeStoredVectors } from '../src/cache/stored-vectors.js';
import { DEMO_VECTORS_FILE, demoCacheTexts } from '../src/demo/demo-vectors.js';

const texts = demoCacheTexts();
const model = createLocalEmbedder();
const started = performance.now();
const vectors = await model.embed(texts);
writeStoredVectors(DEMO_VECTORS_FILE, model, texts, vectors);
console.log(
  `${texts.length} vectors (${model.id}) in ${((performance.now() - started) / 1000).toFixed(0)} s -> ${DEMO_VECTORS_FILE}`,
);
