import { isCardNumber, isIban } from './checksums.js';

/** What to find, what to put instead, and (optionally) which matches to leave alone. */
interface Rule {
  re: RegExp;
  replacement: string | ((match: string, ...groups: string[]) => string);
  keep?: (match: string) => boolean;
}

// Value of a `key=value` / `key: value` assignment: quoted, or up to whitespace or a separator.
const VALUE = String.raw`(?:"[^"\r\n]*"|'[^'\r\n]*'|[^\s"'&;,]+)`;

const RULES: Rule[] = [
  // JSON Web Tokens: three base64url segments, the header (and usually the payload) starting eyJ.
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replacement: '[redacted token]' },
  // Provider API keys: sk-ant-..., sk-proj-..., sk-... (at least 16 key characters).
  { re: /\bsk-(?:ant-)?[A-Za-z0-9_-]{16,}/g, replacement: '[redacted key]' },
  // AWS access key ids (AKIA long-term, ASIA temporary, and the other documented prefixes).
  {
    re: /\b(?:AKIA|ASIA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g,
    replacement: '[redacted key]',
  },
  // AWS secret access keys in an assignment (aws_secret_access_key = ..., "SecretAccessKey": "...").
  {
    re: /\b((?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}\b/gi,
    replacement: (_m, k) => `${k}[redacted key]`,
  },
  // Google API keys.
  { re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g, replacement: '[redacted key]' },
  // Azure storage / service-bus connection strings and SAS signatures.
  { re: /\b((?:AccountKey|SharedAccessKey)=)[A-Za-z0-9+/]{20,}={0,2}/gi, replacement: (_m, k) => `${k}[redacted key]` },
  { re: /([?&;\s]sig=)[A-Za-z0-9%+/=]{10,}/gi, replacement: (_m, k) => `${k}[redacted key]` },
  { re: /\b(SharedAccessSignature\s+)\S+/g, replacement: (_m, k) => `${k}[redacted key]` },
  // Slack tokens (bot, user, app, refresh, legacy).
  { re: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, replacement: '[redacted key]' },
  // GitHub tokens: classic (ghp_, gho_, ghs_, ghu_, ghr_) and fine-grained (github_pat_).
  { re: /\bgh[opsur]_[A-Za-z0-9]{36,}\b/g, replacement: '[redacted key]' },
  { re: /\bgithub_pat_[A-Za-z0-9_]{22,}/g, replacement: '[redacted key]' },
  // Bearer tokens in copied headers.
  { re: /\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi, replacement: 'Bearer [redacted key]' },
  // Password and secret assignments: password=..., pwd: ..., secret=..., "client_secret": "...".
  // Passwords take `=` or `:`; the other keys take `=`, or `:` after a quoted key (JSON), so prose
  // such as "the secret: patience" is left alone.
  {
    re: new RegExp(String.raw`\b((?:passw(?:or)?d|pwd)["']?\s*[:=]\s*)${VALUE}`, 'gi'),
    replacement: (_m, k) => `${k}[redacted secret]`,
  },
  {
    re: new RegExp(
      String.raw`\b((?:(?:client|api|app|aws)_?)?(?:secret|api_?key|access_?token|auth_?token)(?:\s*=|["']\s*:)\s*)${VALUE}`,
      'gi',
    ),
    replacement: (_m, k) => `${k}[redacted secret]`,
  },
  // E-mail addresses.
  { re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, replacement: '[redacted email]' },
  // IBANs, compact or in groups, that pass the ISO 13616 mod-97 check (trailing groups that break it are left).
  { re: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/g, replacement: redactIban },
  // Card numbers: 13-19 digits, optionally grouped by spaces or dashes, with a card prefix and a valid Luhn digit.
  {
    re: /(?<![\w.,-])\d(?:[ -]?\d){12,18}(?![\w]|[.,-]\d)/g,
    replacement: '[redacted card]',
    keep: (m) => !isCardNumber(m),
  },
  // Long hex tokens (32+ hex digits: keys, session ids, hashes of secrets).
  { re: /\b[0-9a-fA-F]{32,}\b/g, replacement: '[redacted token]' },
  // Long base64 / base64url tokens that mix letters and digits (40+ characters).
  {
    re: /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{40,}={0,2}/g,
    replacement: '[redacted token]',
  },
  // Phone numbers: optional +country, 9-15 digits (E.164) with spaces, dots, dashes or parentheses.
  {
    re: /(?<![\w.])\+?\d[\d ().-]{7,}\d(?![\w.])/g,
    replacement: '[redacted phone]',
    keep: (m) => {
      const d = m.replace(/\D/g, '').length;
      return d < 9 || d > 15 || /^\d{4}-\d{2}-\d{2}/.test(m);
    },
  },
];

/** The longest leading run of groups that is a valid IBAN is redacted; the rest stays. */
function redactIban(match: string): string {
  const parts = match.split(/(?=[ -])/);
  for (let k = parts.length; k > 0; k--) {
    const head = parts.slice(0, k).join('');
    if (isIban(head)) return `[redacted iban]${parts.slice(k).join('')}`;
  }
  return match;
}

/**
 * Removes e-mail addresses, phone numbers and credentials from text that goes into a report or an
 * export: provider keys (sk-..., AWS, Google, Azure, Slack, GitHub), JWTs, bearer tokens,
 * password/secret assignments, IBANs (mod-97) and card numbers (Luhn), long hex or base64 tokens.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    out = out.replace(rule.re, (m: string, ...rest: unknown[]) => {
      if (rule.keep?.(m)) return m;
      if (typeof rule.replacement === 'string') return rule.replacement;
      return rule.replacement(m, ...rest.filter((x): x is string => typeof x === 'string'));
    });
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
