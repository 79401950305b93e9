import { describe, expect, it } from 'vitest';
import { redactAndTruncate, redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['mail jane.doe+tag@example.co.uk now', 'mail [redacted email] now'],
    ['call +1 (415) 555-0199 or 020 7946 0958', 'call [redacted phone] or [redacted phone]'],
    ['key sk-ant-api03-AbCdEfGhIjKlMnOpQrSt_uv', 'key [redacted key]'],
    ['key sk-proj-abcdefghijklmnop1234', 'key [redacted key]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc.def', 'Authorization: Bearer [redacted key]'],
    ['sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 end', 'sha [redacted token] end'],
    ['tok QWxhZGRpbjpvcGVuIHNlc2FtZQ9x8Yz7QWxhZGRpbjpvcGVu== end', 'tok [redacted token] end'],
  ])('redacts %j', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it.each([
    'order 1234 shipped on 2026-11-25 at 10:00',
    'the answer is 42, not 3.14159',
    'a_long_identifier_made_only_of_words_and_underscores_here',
    'version 2.9.1 of package yaml',
  ])('leaves ordinary text alone: %j', (text) => {
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('redactAndTruncate', () => {
  it('redacts before cutting, so a key at the cut is never half-shown', () => {
    const text = `${'x'.repeat(490)} sk-ant-api03-${'A'.repeat(40)}`;
    const out = redactAndTruncate(text, 500);
    expect(out).not.toContain('sk-ant');
    expect(out).not.toContain('AAAA');
    expect(out).toContain(' [redacted');
  });

  it('cuts to the limit in characters (not UTF-16 units) and says how long the original was', () => {
    const out = redactAndTruncate('é'.repeat(10) + '😀'.repeat(600), 500);
    expect(Array.from(out.split('…')[0])).toHaveLength(500);
    expect(out).toMatch(/… \[truncated, 610 characters\]$/);
  });
});
