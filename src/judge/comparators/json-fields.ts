import { normalizeText, type Comparator } from './comparator.js';

function parseObject(text: string): Record<string, unknown> | null {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const raw = (fenced ? fenced[1] : text).trim();
  try {
    const v: unknown = JSON.parse(raw);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return normalizeText(a) === normalizeText(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Share of the reference object's fields that the candidate object reproduces (1 = all of them). */
export const jsonFields: Comparator = (candidate, reference) => {
  const r = parseObject(reference);
  if (!r || Object.keys(r).length === 0)
    return { name: 'json-fields', value: null, reason: 'reference is not a JSON object' };
  const c = parseObject(candidate);
  if (!c) return { name: 'json-fields', value: 0, reason: 'answer is not a JSON object' };
  const keys = Object.keys(r);
  const wrong = keys.filter((k) => !same(c[k], r[k]));
  return {
    name: 'json-fields',
    value: (keys.length - wrong.length) / keys.length,
    reason: wrong.length === 0 ? `all ${keys.length} fields match` : `fields differ: ${wrong.slice(0, 5).join(', ')}`,
  };
};
