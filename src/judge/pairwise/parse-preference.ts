import { JudgeError } from '../../errors.js';

/** One pairwise reply: which position the judge preferred, or a tie. */
export interface ParsedPreference {
  winner: 'A' | 'B' | 'tie';
  reason: string;
}

function tryObject(raw: string): ParsedPreference | null {
  try {
    const v = JSON.parse(raw.trim()) as { winner?: unknown; reason?: unknown };
    const w = typeof v?.winner === 'string' ? v.winner.trim() : undefined;
    const winner = w === 'A' || w === 'B' ? w : w?.toLowerCase() === 'tie' ? 'tie' : undefined;
    if (winner) return { winner, reason: typeof v.reason === 'string' ? v.reason : '' };
  } catch {
    // not this candidate
  }
  return null;
}

/**
 * Reads `{"winner": "A"|"B"|"tie", "reason": ...}` from a reply: bare JSON or inside a ```json fence.
 * Anything else is a retryable JudgeError (the sample stays pending).
 */
export function parsePreference(text: string): ParsedPreference {
  const fences = [...text.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)].map((m) => m[1]);
  for (const candidate of [text, ...fences]) {
    const v = tryObject(candidate);
    if (v) return v;
  }
  throw new JudgeError(
    `the pairwise judge reply is not a {"winner": "A"|"B"|"tie", ...} object: ${JSON.stringify(text.slice(0, 120))}`,
    { retryable: true },
  );
}
