import { describe, expect, it } from 'vitest';
import { createLexicalEmbedder, tokenizeWords } from './lexical-embedder.js';

const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('createLexicalEmbedder', () => {
  it('returns deterministic 512-d unit vectors and calls itself lexical', async () => {
    const e = createLexicalEmbedder();
    const [a, b] = await e.embed(['Where is my card?', 'Where is my card?']);
    expect(e).toMatchObject({ kind: 'lexical', dims: 512, id: 'lexical-v1:512' });
    expect(a).toHaveLength(512);
    expect(Math.hypot(...a)).toBeCloseTo(1, 9);
    expect(a).toEqual(b);
  });

  it('scores shared wording above unrelated text, and ignores case and punctuation', async () => {
    const e = createLexicalEmbedder();
    const [q, para, other, shout] = await e.embed([
      'my card has not arrived yet',
      'my new card has not arrived',
      'what is the exchange rate for euros',
      'MY CARD HAS NOT ARRIVED YET!!!',
    ]);
    expect(cos(q, para)).toBeGreaterThan(0.6);
    expect(cos(q, other)).toBeLessThan(0.2);
    expect(cos(q, shout)).toBeCloseTo(1, 9);
  });

  it('maps empty text to the zero vector (similarity 0 with anything)', async () => {
    const [z] = await createLexicalEmbedder().embed(['  ?! ']);
    expect(z.every((x) => x === 0)).toBe(true);
  });

  it('tokenizes words with inner apostrophes', () => {
    expect(tokenizeWords("Why hasn't it ARRIVED, 2 days?")).toEqual(['why', "hasn't", 'it', 'arrived', '2', 'days']);
  });
});
