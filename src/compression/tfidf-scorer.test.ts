import { TfIdf } from 'natural/lib/natural/tfidf/index.js';
import { PorterStemmer } from 'natural/lib/natural/stemmers/index.js';
import { describe, expect, it } from 'vitest';
import { loadQaDataset } from './load-qa-dataset.js';
import { clearContextCache, prepareContext, scoreUnits, stemTerms } from './prepared-context.js';

/**
 * The tfidf compressor's scorer (issue 15) replaced a natural TfIdf built per context. On the real
 * QA sets it must give bit-identical scores to natural's TfIdf over the same sentences, so every
 * selection, achieved ratio and retention figure is unchanged.
 */
describe.each(['xquad-en', 'xquad-zh', 'qmsum'])('tfidf scorer against natural TfIdf on %s', (name) => {
  it('stems like PorterStemmer.tokenizeAndStem and scores every sentence exactly as TfIdf.tfidfs', () => {
    const items = loadQaDataset(name, { cwd: process.cwd() }).items;
    const byContext = new Map<string, string[]>();
    for (const i of items) byContext.set(i.context, [...(byContext.get(i.context) ?? []), i.question]);
    const contexts = [...byContext].slice(0, name === 'qmsum' ? 12 : 60);
    clearContextCache();
    let scored = 0;
    let nonZero = 0;
    for (const [context, questions] of contexts) {
      const ctx = prepareContext(context);
      const reference = new TfIdf();
      for (const u of ctx.units) {
        const natural = PorterStemmer.tokenizeAndStem(u.text).map((t) => `_${t}`);
        expect(stemTerms(u.text)).toEqual(natural);
        reference.addDocument(natural);
      }
      for (const q of questions) {
        const terms = stemTerms(q);
        expect(terms).toEqual(PorterStemmer.tokenizeAndStem(q).map((t) => `_${t}`));
        const mine = scoreUnits(ctx.terms(), terms);
        expect(mine).toEqual(reference.tfidfs(terms));
        scored += mine.length;
        nonZero += mine.filter((s) => s !== 0).length;
      }
    }
    expect(scored).toBeGreaterThan(100);
    expect(nonZero).toBeGreaterThan(0);
  });
});

describe('scoreUnits edge cases', () => {
  it('counts a repeated query term each time and a term in every unit with a negative idf, as natural does', () => {
    const ctx = prepareContext('Cats purr. Cats sleep all day. Dogs bark at cats.');
    const reference = new TfIdf();
    for (const u of ctx.units) reference.addDocument(stemTerms(u.text));
    for (const q of [stemTerms('cats cats dogs'), stemTerms('constructor toString __proto__'), []])
      expect(scoreUnits(ctx.terms(), q)).toEqual(reference.tfidfs(q));
  });
});
