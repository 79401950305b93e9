import { describe, expect, it } from 'vitest';
import { combineOrders, toPreferred } from './combine-orders.js';
import { parsePreference } from './parse-preference.js';

describe('combineOrders', () => {
  it('fails the served answer only when the premium one wins in both orders', () => {
    expect(combineOrders('premium', 'premium')).toMatchObject({
      preferred: 'premium',
      verdict: 'fail',
      consistent: true,
    });
    expect(combineOrders('served', 'served')).toMatchObject({ preferred: 'served', verdict: 'pass', consistent: true });
    expect(combineOrders('tie', 'tie')).toMatchObject({ preferred: 'tie', verdict: 'pass', consistent: true });
    expect(combineOrders('premium', 'tie')).toMatchObject({ preferred: 'tie', verdict: 'pass', consistent: true });
  });

  it('turns a judge that always picks position A into ties, never a pass for one side or a fail', () => {
    const servedFirst = toPreferred('served-first', 'A'); // A = served
    const premiumFirst = toPreferred('premium-first', 'A'); // A = premium
    expect([servedFirst, premiumFirst]).toEqual(['served', 'premium']);
    expect(combineOrders(servedFirst, premiumFirst)).toMatchObject({
      preferred: 'tie',
      consistent: false,
      verdict: 'pass',
    });
    expect(combineOrders(toPreferred('served-first', 'B'), toPreferred('premium-first', 'B'))).toMatchObject({
      preferred: 'tie',
      consistent: false,
    });
  });
});

describe('parsePreference', () => {
  it('reads bare and fenced JSON, any case of tie', () => {
    expect(parsePreference('{"winner":"B","reason":"more precise"}')).toEqual({ winner: 'B', reason: 'more precise' });
    expect(parsePreference('```json\n{"winner": "Tie"}\n```')).toEqual({ winner: 'tie', reason: '' });
  });

  it('throws a retryable JudgeError on a single-answer verdict or prose', () => {
    expect(() => parsePreference('{"verdict":"pass"}')).toThrow(expect.objectContaining({ retryable: true }));
    expect(() => parsePreference('A is better')).toThrow(/winner/);
  });
});
