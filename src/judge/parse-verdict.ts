import { JudgeError } from '../errors.js';

/** A parsed judge verdict. */
export interface ParsedVerdict {
  verdict: 'pass' | 'fail';
  reason: string;
}

function tryObject(raw: string): ParsedVerdict | null {
  try {
    const v = JSON.parse(raw.trim()) as { verdict?: unknown; reason?: unknown };
    if (v && (v.verdict === 'pass' || v.verdict === 'fail'))
      return { verdict: v.verdict, reason: typeof v.reason === 'string' ? v.reason : '' };
  } catch {
    // not this candidate
  }
  return null;
}

/**
 * Reads `{"verdict": "pass"|"fail", "reason": ...}` from a reply: bare JSON or inside a ```json fence.
 * Anything else (prose, a truncated object, `"verdict": "maybe"`) is a retryable `malformed`
 * JudgeError carrying the reply's first 200 characters: the run retries once, then marks the sample judge_error.
 */
export function parseVerdict(text: string): ParsedVerdict {
  const fences = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)].map((m) => m[1]);
  for (const candidate of [text, ...fences]) {
    const v = tryObject(candidate);
    if (v) return v;
  }
  throw new JudgeError('the judge reply is not a {"verdict": "pass"|"fail", ...} object', {
    retryable: true,
    kind: 'malformed',
    excerpt: text.slice(0, 200),
  });
}
