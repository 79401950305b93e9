import { InputError } from '../errors.js';

/** Parses a numeric flag value, naming the flag in the error. */
export function parseNumberFlag(
  name: string,
  value: unknown,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n)) {
    throw new InputError(`--${name} expects a number, got "${String(value)}"`);
  }
  if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
    throw new InputError(`--${name} must be between ${range.min ?? '-inf'} and ${range.max ?? 'inf'}, got ${n}`);
  }
  return n;
}

/** Parses a duration like 30s, 5m, 2h, 1d or plain milliseconds. */
export function parseDurationFlag(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(String(value).trim());
  if (!m) throw new InputError(`--${name} expects a duration such as 30s, 5m or 1h, got "${String(value)}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
