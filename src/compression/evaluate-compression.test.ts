import { describe, expect, it } from 'vitest';
import type { JudgeClient, JudgeRequest } from '../judge/judge-client.js';
import { createCompressorRegistry } from './compressor-registry.js';
import { evaluateCompression } from './evaluate-compression.js';
import { createJudgeAnswerer } from './qa-answerer.js';
import type { QaItem } from './qa-item.js';
import { recommendRatios } from './recommend-ratios.js';

const filler = (i: number) => `Line ${i} of the invoice lists shipping notes and handling remarks for batch ${i}.`;
const invoice = (k: number): QaItem => ({
  id: `inv-${k}`,
  taskClass: 'extract_invoice',
  context: [
    `Invoice ${k} from Acme Corp.`,
    ...Array.from({ length: 12 }, (_, i) => filler(i)),
    `The total due is ${100 + k} dollars.`,
  ].join(' '),
  question: 'What is the total due?',
  answers: [`${100 + k} dollars`],
  fields: { vendor: 'Acme Corp', total: `${100 + k} dollars` },
});
const items = Array.from({ length: 6 }, (_, k) => invoice(k));
const dataset = { name: 'invoices', items };
const registry = createCompressorRegistry();

/** A reference model that reads the total off the context it is given, or says it cannot. */
function fakeJudge(): JudgeClient & { requests: JudgeRequest[] } {
  const requests: JudgeRequest[] = [];
  return {
    provider: 'openai',
    model: 'fake',
    requests,
    async complete(req) {
      requests.push(req);
      const m = /total due is (\d+ dollars)/.exec(req.prompt);
      return {
        customId: req.customId,
        text: m ? m[1] : 'unknown',
        model: 'fake',
        usage: { inputTokens: 1, outputTokens: 1 },
      };
    },
    startBatch: () => Promise.reject(new Error('not used')),
    checkBatch: () => Promise.reject(new Error('not used')),
    readBatch: () => {
      throw new Error('not used');
    },
  };
}

describe('evaluateCompression', () => {
  it('reports retention with intervals, tokens saved and the extraction guard per field and ratio', async () => {
    const ev = await evaluateCompression({
      dataset,
      compressors: [registry.get('structural')!, registry.get('dedup')!],
      ratios: [0.3, 0.9],
    });
    expect(ev.rows.map((r) => [r.method, r.ratio])).toEqual([
      ['structural', 0.3],
      ['structural', 0.9],
      ['dedup', null],
    ]);
    const [s03, s09, dedup] = ev.rows;
    // The head keeps the vendor; the tail keeps the total at both ratios.
    expect(s03.fieldDrops).toEqual({ vendor: { present: 6, dropped: 0 }, total: { present: 6, dropped: 0 } });
    expect(s09.answerRetention).toBe(1);
    expect(s03.lower).toBeGreaterThan(0.5);
    expect(s03.tokensSaved).toBe(s03.originalTokens - s03.compressedTokens);
    expect(Math.abs(s03.achievedRatio - 0.3)).toBeLessThanOrEqual(0.05);
    expect(dedup.achievedRatio).toBe(1);
    expect(ev.groups).toEqual([{ name: 'extract_invoice', extraction: true, items: [0, 1, 2, 3, 4, 5] }]);
  });

  it('counts a field as dropped when compression loses its value', async () => {
    const middle = items.map((it) => ({
      ...it,
      context: it.context
        .replace(/^Invoice \d+ from Acme Corp\. /, '')
        .replace(filler(6), `${filler(6)} Issued by Acme Corp.`),
    }));
    const ev = await evaluateCompression({
      dataset: { name: 'invoices', items: middle },
      compressors: [registry.get('tfidf')!],
      ratios: [0.3],
    });
    // The question asks for the total, so tfidf keeps it and drops the vendor line mid-document.
    expect(ev.rows[0].fieldDrops?.total).toEqual({ present: 6, dropped: 0 });
    expect(ev.rows[0].fieldDrops?.vendor.dropped).toBe(6);
  });

  it('with a reference model, reports accuracy on compressed and on full context and tunes on exact match', async () => {
    const judge = fakeJudge();
    const shifted = items.map((it) => ({
      ...it,
      context: `${it.context.replace(/The total due is .*$/, '')} The total due is ${it.answers[0]}. ${filler(99)}`,
    }));
    const ev = await evaluateCompression({
      dataset: { name: 'invoices', items: shifted },
      compressors: [registry.get('structural')!],
      ratios: [0.2],
      answerer: createJudgeAnswerer(judge),
    });
    expect(ev.metric).toBe('exact-match');
    expect(ev.rows[0].baselineAccuracy).toMatchObject({ exactMatch: 1, f1: 1 });
    expect(ev.rows[0].accuracy?.exactMatch).toBeLessThan(1);
    expect(judge.requests).toHaveLength(12);
    expect(new Set(judge.requests.map((r) => r.customId)).size).toBe(12);
    expect(recommendRatios(ev, { maxDropPoints: 2 })[0]).toMatchObject({ kind: 'none', ratio: 1 });
  });
});
