import { describe, expect, it } from 'vitest';
import type { Embedder } from '../cache/embedder.js';
import { createLocalEmbedder } from '../cache/local-embedder.js';
import { readStoredVectors, withStoredVectors } from '../cache/stored-vectors.js';
import { DEMO_VECTORS_FILE, demoCacheTexts } from './demo-vectors.js';

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

/** An embedder that records what it is asked and answers a fixed vector. */
function recording(): Embedder & { asked: string[] } {
  const asked: string[] = [];
  return {
    id: 'local:use-lite-v1',
    kind: 'semantic',
    dims: 512,
    asked,
    async embed(t) {
      asked.push(...t);
      return t.map(() => new Array(512).fill(0));
    },
  };
}

describe("the demo's stored sentence-model vectors", () => {
  const texts = demoCacheTexts();
  const stored = readStoredVectors(DEMO_VECTORS_FILE, createLocalEmbedder(), texts);

  it('cover every Banking77 text the demo embeds, so the demo never sends one of them to the model', async () => {
    expect(texts.length).toBeGreaterThan(6000);
    expect(stored.size).toBe(new Set(texts).size);
    const model = recording();
    const out = await withStoredVectors(model, stored).embed([texts[0], 'not a bundled text', texts[texts.length - 1]]);
    expect(model.asked).toEqual(['not a bundled text']);
    expect(out[0]).toEqual(stored.get(texts[0]));
    expect(out[1]).toEqual(new Array(512).fill(0));
  });

  it('are what the model makes of those texts now (cosine >= 0.9999 on every 200th)', async () => {
    const sample = texts.filter((_, i) => i % 200 === 0);
    const fresh = await createLocalEmbedder().embed(sample);
    for (const [i, t] of sample.entries()) expect(dot(fresh[i], stored.get(t)!), t).toBeGreaterThanOrEqual(0.9999);
  });

  it('are ignored when the text list changed (another Banking77 file or train share): the model embeds them', () => {
    expect(readStoredVectors(DEMO_VECTORS_FILE, createLocalEmbedder(), texts.slice(1)).size).toBe(0);
    expect(readStoredVectors(`${DEMO_VECTORS_FILE}.missing`, createLocalEmbedder(), texts).size).toBe(0);
  });
});
