/** What to find, what to put instead, and (optionally) which matches to leave alone. */
interface Rule {
  re: RegExp;
  replacement: string;
  keep?: (match: string) => boolean;
}

const RULES: Rule[] = [
  // Provider API keys: sk-ant-..., sk-proj-..., sk-... (at least 16 key characters).
  { re: /\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g, replacement: '[redacted key]' },
  // Bearer tokens in copied headers.
  { re: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi, replacement: 'Bearer [redacted key]' },
  // E-mail addresses.
  { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, replacement: '[redacted email]' },
  // Long hex tokens (32+ hex digits: keys, session ids, hashes of secrets).
  { re: /\b[0-9a-fA-F]{32,}\b/g, replacement: '[redacted token]' },
  // Long base64 / base64url tokens that mix letters and digits (40+ characters).
  { re: /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{40,}={0,2}/g, replacement: '[redacted token]' },
  // Phone numbers: optional +country, 9-15 digits with spaces, dots, dashes or parentheses.
  { re: /(?<![\w.])\+?\d[\d ().-]{7,}\d(?![\w.])/g, replacement: '[redacted phone]', keep: (m) => m.replace(/\D/g, '').length < 9 || /^\d{4}-\d{2}-\d{2}/.test(m) },
];

/**
 * Removes e-mail addresses, phone numbers and API-key-like strings (sk-..., sk-ant-...,
 * long hex or base64 tokens) from text that goes into a report.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (m) => (rule.keep?.(m) ? m : rule.replacement));
  }
  return out;
}

/** Redacts first (so a cut never leaves half a key visible), then truncates to `max` characters. */
export function redactAndTruncate(text: string, max = 500): string {
  const clean = redactSecrets(text);
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  return `${chars.slice(0, max).join('')}… [truncated, ${chars.length} characters]`;
}
