import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseQaJsonl } from './parse-qa-jsonl.js';

const good = JSON.stringify({
  id: 'q1',
  context: 'Paris is in France.',
  question: 'Where is Paris?',
  answers: ['France'],
});

describe('parseQaJsonl', () => {
  it('parses items and skips blank lines', () => {
    const items = parseQaJsonl(
      `${good}\n\n${JSON.stringify({ id: 'q2', context: 'c', question: 'q', answers: ['a'], taskClass: 'extract_invoice', fields: { total: '12' } })}\n`,
      'qa.jsonl',
    );
    expect(items.map((i) => i.id)).toEqual(['q1', 'q2']);
    expect(items[1].fields).toEqual({ total: '12' });
  });

  it.each([
    ['{not json', /qa\.jsonl:2: not valid JSON/],
    [JSON.stringify({ id: 'q9', context: 'c', question: 'q', answers: [] }), /qa\.jsonl:2: answers: /],
    [JSON.stringify({ id: 'q9', question: 'q', answers: ['a'] }), /qa\.jsonl:2: context: /],
    [JSON.stringify({ id: 'q9', context: 'c', question: 'q', answers: ['a'], extra: 1 }), /qa\.jsonl:2: .*extra/],
    [good, /qa\.jsonl:2: id: duplicate id "q1"/],
  ])('rejects a bad line naming file, line and field: %s', (line, message) => {
    const run = () => parseQaJsonl(`${good}\n${line}\n`, 'qa.jsonl');
    expect(run).toThrow(InputError);
    expect(run).toThrow(message);
  });

  it('rejects an empty file', () => {
    expect(() => parseQaJsonl('\n', 'empty.jsonl')).toThrow(/empty\.jsonl: no QA items/);
  });
});
