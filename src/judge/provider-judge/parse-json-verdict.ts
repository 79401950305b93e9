/** A pass/fail verdict with the judge's reason. */
export interface ParsedVerdict { verdict: 'pass' | 'fail'; reason: string }

/** Reads `{"verdict":"pass"|"fail","reason":...}` from a reply (the first JSON object in it); null if absent. */
export function parseJsonVerdict(text: string): ParsedVerdict | null {
  const match = /\{[\s\S]*\}/.exec(text);
  if (!match) return null;
  try {
    const v = JSON.parse(match[0]) as { verdict?: unknown; reason?: unknown };
    if (v.verdict !== 'pass' && v.verdict !== 'fail') return null;
    return { verdict: v.verdict, reason: typeof v.reason === 'string' ? v.reason : '' };
  } catch {
    return null;
  }
}
