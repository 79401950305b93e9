import { describe, expect, it } from 'vitest';
import { evaluateAnswer, type EvaluateContext } from './evaluate-sample.js';
import { JudgeBudget } from './judge-budget.js';

const ctx = (): EvaluateContext => ({
  comparator: 'token-f1',
  budget: new JudgeBudget(undefined),
  ledger: { calls: 0, costUsd: 0, saved: 0 },
});
const answer = {
  key: 'k',
  input: 'When will my card arrive?',
  candidate: 'We can help you with your request for card linking.',
  reference: 'We can help you with your request for card arrival.',
};

describe('evaluateAnswer offline', () => {
  it('judges a cache hit of a token-F1 class with cache-answer, which sees the word that changed', async () => {
    const cache = await evaluateAnswer({ ...answer, source: 'cache' }, ctx());
    expect(cache).toMatchObject({
      kind: 'verdict',
      row: { verdict: 'fail', method: 'cache-answer', provider: 'offline' },
    });
    // the same texts as a routed answer keep the class's comparator (token F1 0.89 passes)
    const routed = await evaluateAnswer({ ...answer, source: 'routing' }, ctx());
    expect(routed).toMatchObject({ kind: 'verdict', row: { verdict: 'pass', method: 'token-f1' } });
  });

  it('fails a numeric answer that stops before its result (a missing answer), unjudgeable only under judge.emptyAnswer: unjudgeable', async () => {
    const cut = {
      key: 'k',
      source: 'routing' as const,
      input: 'q',
      candidate: 'In the first class there are 20 - 15 = <<20-1',
      reference: 'so\n#### 5',
    };
    const e = await evaluateAnswer(cut, { ...ctx(), comparator: 'numeric-answer' });
    expect(e).toMatchObject({
      kind: 'verdict',
      row: {
        verdict: 'fail',
        method: 'numeric-answer',
        reason: expect.stringMatching(/^no final answer: the answer stops inside a calculation/),
      },
    });
    const left = await evaluateAnswer(cut, { ...ctx(), comparator: 'numeric-answer', emptyAnswer: 'unjudgeable' });
    expect(left).toEqual({
      kind: 'unjudgeable',
      reason: expect.stringMatching(/numeric-answer: the answer stops inside a calculation/),
    });
  });

  it('leaves an ambiguous numeric answer (two disagreeing finals) unjudgeable with the reason', async () => {
    const e = await evaluateAnswer(
      { key: 'k', source: 'routing', input: 'q', candidate: 'The answer is 4.\n#### 6', reference: 'so\n#### 5' },
      { ...ctx(), comparator: 'numeric-answer' },
    );
    expect(e).toEqual({ kind: 'unjudgeable', reason: expect.stringMatching(/^numeric-answer: /) });
  });
});
