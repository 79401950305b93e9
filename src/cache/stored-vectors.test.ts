import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder } from './embedder.js';
import { readStoredVectors, writeStoredVectors } from './stored-vectors.js';

const model: Embedder = { id: 'test:model', kind: 'lexical', dims: 3, embed: async (t) => t.map(() => [1, 0, 0]) };
const texts = ['a refund', 'a card'];
const vectors = [
  [0.6, 0.8, 0],
  [0, -0.6, 0.8],
];

describe('stored vectors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-vec-'));
  const file = path.join(dir, 'v.vec');
  writeStoredVectors(file, model, texts, vectors);

  it('read back as written, within the 16-bit step, keyed by text', () => {
    const read = readStoredVectors(file, model, texts);
    expect([...read.keys()]).toEqual(texts);
    for (const [i, t] of texts.entries())
      for (const [j, x] of vectors[i]!.entries()) expect(Math.abs(read.get(t)![j]! - x)).toBeLessThan(1e-4);
  });

  it('read as no file when written for another model, cut short, or not a vector file at all', () => {
    expect(readStoredVectors(file, { ...model, id: 'test:other' }, texts).size).toBe(0);
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 2));
    expect(readStoredVectors(file, model, texts).size).toBe(0);
    writeFileSync(file, 'not json\n\u0000\u0001');
    expect(readStoredVectors(file, model, texts).size).toBe(0);
  });
});
