import { describe, expect, it } from 'vitest';
import { code, escapeMarkdown, fenced } from './markdown.js';

describe('escapeMarkdown', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['![x](http://evil/t.png)', '\\!\\[x\\]\\(http://evil/t.png)'],
    ['[a](javascript:alert(1))', '\\[a\\]\\(javascript:alert(1))'],
    ['a|b\nc', 'a\\|b c'],
    ['# heading', '\\# heading'],
    ['1. item', '1\\. item'],
    ['12) item', '12\\) item'],
    ['- item', '\\- item'],
    ['2026 is a year', '2026 is a year'],
    ['2026-11-26T02:00:00Z', '2026-11-26T02:00:00Z'],
    ['12-item', '12-item'],
    ['**bold** _em_ ~~del~~ `code`', '\\*\\*bold\\*\\* \\_em\\_ \\~\\~del\\~\\~ \\`code\\`'],
    ['&lt; stays text', '&amp;lt; stays text'],
    ['red\u001b[31m\u202Egnp.exe\u0007', 'red\\[31mgnp.exe'],
  ])('escapes %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('leaves ordinary names readable', () => {
    expect(escapeMarkdown('compliance_check on gpt-4o-mini (pinned)')).toBe('compliance_check on gpt-4o-mini (pinned)');
  });
});

describe('code and fenced', () => {
  it('picks a fence longer than any backtick run inside', () => {
    expect(code('a ``b`` c')).toBe('```a ``b`` c```');
    expect(code('`x`')).toBe('`` `x` ``');
    expect(fenced('````\nx')).toBe('`````\n````\nx\n`````');
  });
});
