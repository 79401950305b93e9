import { normalizeAnswer, tokenF1 as squadTokenF1 } from '../../text/normalize-answer.js';
import type { Comparator } from './comparator.js';

/** SQuAD-style token F1 between answer and reference (articles and punctuation ignored). */
export const tokenF1: Comparator = (candidate, reference) => {
  if (normalizeAnswer(reference) === '') return { name: 'token-f1', value: null, reason: 'empty reference' };
  const f1 = squadTokenF1(candidate, [reference]);
  return { name: 'token-f1', value: f1, reason: `token F1 ${f1.toFixed(2)}` };
};
