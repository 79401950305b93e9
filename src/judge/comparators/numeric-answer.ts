import type { Comparator } from './comparator.js';

const NUMBER = /-?\$?\d[\d,]*(?:\.\d+)?|-?\.\d+/g;

/** The final numeric answer of a text: the number after the last `####`, else the last number; null if none. */
export function finalNumber(text: string): number | null {
  const marker = text.lastIndexOf('####');
  const scope = marker >= 0 ? text.slice(marker + 4) : text;
  const all = scope.replace(/<<[^>]*>>/g, ' ').match(NUMBER);
  if (!all || all.length === 0) return null;
  const token = marker >= 0 ? all[0] : all[all.length - 1];
  const n = Number(token.replace(/[$,]/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** Compares final numeric answers (GSM8K style), with a relative tolerance of 1e-6. */
export const numericAnswer: Comparator = (candidate, reference) => {
  const r = finalNumber(reference);
  if (r === null) return { name: 'numeric-answer', value: null, reason: 'no number in the reference' };
  const c = finalNumber(candidate);
  if (c === null) return { name: 'numeric-answer', value: 0, reason: `no number in the answer; reference ${r}` };
  const same = Math.abs(c - r) <= 1e-6 * Math.max(1, Math.abs(r));
  return { name: 'numeric-answer', value: same ? 1 : 0, reason: same ? `final answer ${c} matches` : `final answer ${c} differs from reference ${r}` };
};
