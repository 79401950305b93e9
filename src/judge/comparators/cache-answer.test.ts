import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../stats/seeded-random.js';
import { DATASETS_DIR } from '../calibration/gold-sets.js';
import {
  answerSentences,
  changeNumber,
  flipNegation,
  paraphrase,
  swapContentWord,
  type CachePair,
} from '../../../test/support/cache-pair-transforms.js';
import { isPlanted } from '../../../test/support/planted-events.js';
import { cacheAnswer } from './cache-answer.js';
import { compareAnswer } from './index.js';

/** 1,000 cache hits on XQuAD answer sentences: 30 false ones (10 numbers, 10 negations, 10 content words), 970 paraphrased true ones. */
function plantedHits(): CachePair[] {
  const src = answerSentences(`${DATASETS_DIR}xquad-en/xquad.en.json`);
  const rand = seededRandom(1201);
  const kinds = ['number', 'negation', 'content-word'] as const;
  const out: CachePair[] = [];
  let k = 0;
  let f = 0;
  for (let i = 0; out.length < 1000; i++) {
    const a = src[k++ % src.length];
    if (isPlanted(i, 1000, 30)) {
      const kind = kinds[f % 3];
      let cached: string | null = null;
      // the next sentence the change applies to
      for (let tries = 0; cached === null && tries < 50; tries++) {
        const b = tries === 0 ? a : src[k++ % src.length];
        cached =
          kind === 'number'
            ? changeNumber(b.sentence, rand)
            : kind === 'negation'
              ? flipNegation(b.sentence)
              : swapContentWord(b, src, rand);
        if (cached !== null)
          out.push({
            id: `${b.id}-${kind}`,
            query: b.question,
            reference: b.sentence,
            cached,
            kind,
            label: 'false-hit',
          });
      }
      f++;
    } else {
      out.push({
        id: `${a.id}-para`,
        query: a.question,
        reference: a.sentence,
        cached: paraphrase(a.sentence, rand),
        kind: 'paraphrase',
        label: 'valid',
      });
    }
  }
  return out;
}

describe('cache-answer: a cached answer that differs where it matters is a false hit', () => {
  it('finds 30 of 30 planted false hits among 1,000 cache hits and passes >= 97% of the paraphrased true ones', () => {
    const hits = plantedHits();
    expect(hits).toHaveLength(1000);
    const falseOnes = hits.filter((h) => h.label === 'false-hit');
    expect(falseOnes).toHaveLength(30);
    expect(hits.filter((h) => h.label === 'valid').every((h) => h.cached !== h.reference)).toBe(true);
    const judged = hits.map((h) => ({
      h,
      r: cacheAnswer(h.cached, h.reference),
      f1: compareAnswer('token-f1', h.cached, h.reference, 0.5).pass,
    }));
    const found = judged.filter((x) => x.h.label === 'false-hit' && x.r.value === 0).length;
    const passed = judged.filter((x) => x.h.label === 'valid' && x.r.value === 1).length;
    const f1Found = judged.filter((x) => x.h.label === 'false-hit' && x.f1 === false).length;
    const flagged = judged
      .filter((x) => x.h.label === 'valid' && x.r.value !== 1)
      .slice(0, 8)
      .map((x) => `  ${x.r.reason}\n    ${x.h.cached}\n    ${x.h.reference}`);
    const missed = judged
      .filter((x) => x.h.label === 'false-hit' && x.r.value !== 0)
      .map((x) => `  missed ${x.h.kind}: ${x.r.reason}\n    ${x.h.cached}\n    ${x.h.reference}`);
    console.log(
      `${missed.join('\n')}\ncache-answer: ${found}/30 false hits found, ${passed}/970 true hits passed (token F1 >= 0.5 found ${f1Found}/30)\n${flagged.join('\n')}`,
    );
    expect(found).toBe(30);
    expect(passed / 970).toBeGreaterThanOrEqual(0.97);
  });

  it('fails on a changed number, identifier, negation or swapped word; passes reworded answers', () => {
    const fails: [string, string][] = [
      ['Refund in 7 days.', 'Refund in 5 days.'],
      ['Your refund arrives in seven days.', 'Your refund arrives in 5 days.'],
      ['Item 123 ships today.', 'Item 456 ships today.'],
      ['Item #123 ships today.', 'Item #456 ships today.'],
      ['Order AB-1234 has shipped.', 'Order AB-1243 has shipped.'],
      ['Write to help@bank.example for this.', 'Write to cards@bank.example for this.'],
      ['See https://bank.example/fees for details.', 'See https://bank.example/limits for details.'],
      ['You cannot cancel a transfer once it is sent.', 'You can cancel a transfer once it is sent.'],
      ['We no longer support that card.', 'We support that card.'],
      ['We can help you with your request for card linking.', 'We can help you with your request for card arrival.'],
      ['Top-ups by card are free.', 'Top-ups by bank transfer are free.'],
      ['The Normans conquered Scotland in 1066.', 'The Normans conquered England in 1066.'],
      ['You can pay with your card.', 'You can pay with your virtual card.'],
    ];
    for (const [c, r] of fails) expect(cacheAnswer(c, r), `${c} | ${r}`).toMatchObject({ value: 0 });
    const passes: [string, string][] = [
      ['Sure! Your refund will arrive within five business days. Hope this helps.', 'Refund in 5 days.'],
      [
        'Sure! Your refund will be sent back within five days. Hope this helps.',
        'Your refund will be sent back within 5 days.',
      ],
      ["You can't cancel a transfer once it's sent.", 'You cannot cancel a transfer once it is sent.'],
      ['In 1066, the Normans conquered England.', 'The Normans conquered England in 1066.'],
      [
        'Happy to help. Your card should arrive in 3 days.',
        'Your card should arrive in three days. Let me know if you have other questions.',
      ],
      ['Order #12345 ships in 5-7 days.', 'Order 12345 ships in 5 - 7 days.'],
    ];
    for (const [c, r] of passes) expect(cacheAnswer(c, r), `${c} | ${r}`).toMatchObject({ value: 1 });
    expect(cacheAnswer('anything', '  ').value).toBeNull();
  });
});

describe('cache-answer on Banking77 intents in answer templates', () => {
  it('on Banking77 intents in answer templates: every neighbouring-intent swap fails, every reworded answer passes', () => {
    const intents = (JSON.parse(readFileSync(`${DATASETS_DIR}banking77/categories.json`, 'utf8')) as string[]).map(
      (x) => x.replace(/_/g, ' '),
    );
    const templates = [
      (x: string) => `We can help you with your request for ${x}.`,
      (x: string) => `Thanks for contacting us. Here is how we handle ${x}.`,
      (x: string) => `Your question about ${x} has been forwarded to our team.`,
    ];
    const reworded = [
      (x: string) => `Sure! We can help with your request for ${x}.`,
      (x: string) => `Here is how we handle ${x}. Thanks for contacting us!`,
      (x: string) => `We have forwarded your question about ${x} to our team.`,
    ];
    let swapsFound = 0;
    let rewordsPassed = 0;
    intents.forEach((x, i) => {
      const other = intents[(i + 1) % intents.length];
      templates.forEach((t, k) => {
        if (cacheAnswer(t(other), t(x)).value === 0) swapsFound++;
        if (cacheAnswer(reworded[k](x), t(x)).value === 1) rewordsPassed++;
      });
    });
    console.log(
      `banking77 templates: ${swapsFound}/${intents.length * 3} swaps found, ${rewordsPassed}/${intents.length * 3} rewordings passed`,
    );
    expect(swapsFound).toBe(intents.length * 3);
    expect(rewordsPassed).toBe(intents.length * 3);
  });
});
