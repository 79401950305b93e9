import path from 'node:path';
import { BANKING77_DIR, firstPerIntent, loadBanking77 } from '../cache/banking77.js';
import type { Embedder } from '../cache/embedder.js';
import { createLocalEmbedder } from '../cache/local-embedder.js';
import { readStoredVectors, withStoredVectors } from '../cache/stored-vectors.js';

/**
 * Banking77 train messages per intent put in the demo's support cache (3,080 of 10,003): embedding
 * all of them with the sentence model would dominate `npm start` on two cores.
 */
export const DEMO_TRAIN_PER_INTENT = 40;

/**
 * The sentence model's vectors of every Banking77 text the demo embeds, made by
 * `npx tsx scripts/build-demo-vectors.ts` (6,155 texts, about 75 s of CPU on the model).
 */
export const DEMO_VECTORS_FILE = path.join(BANKING77_DIR, 'use-lite-v1-demo.vec');

/** The texts the demo's support cache embeds: its train entries, then every test query. */
export function demoCacheTexts(): string[] {
  const data = loadBanking77();
  return [...firstPerIntent(data.train, DEMO_TRAIN_PER_INTENT), ...data.test].map((q) => q.text);
}

/**
 * The demo's embedder: the offline sentence model (what cache.embedder: auto/local uses), answering
 * the bundled texts from the vectors it made for them before, so `npm start` does not spend two thirds
 * of its time re-embedding the same 6,155 sentences; any other text goes to the model.
 */
export function createDemoEmbedder(): Embedder {
  const model = createLocalEmbedder();
  return withStoredVectors(model, readStoredVectors(DEMO_VECTORS_FILE, model, demoCacheTexts()));
}
