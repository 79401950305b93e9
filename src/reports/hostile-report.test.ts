import { describe, expect, it } from 'vitest';
import { renderDemoPreface } from '../demo/render-demo-preface.js';
import { renderCompressionMarkdown } from '../compression/render-compression-markdown.js';
import { renderSavingsLedger } from './render-savings-ledger.js';
import { makeClassReport, makeEscalationSummary } from '../../test/support/report-fixtures.js';
import { renderReport } from './render-report.js';

const TASK = '<script>alert(1)</script>|x';
const REASON = 'see ![x](http://evil/t.png) and [a](javascript:alert(1)) | extra\ncell';
const MODEL = 'm<img src=x onerror=alert(1)>';

/** Cells of each markdown table row, split on unescaped pipes as GFM does. */
function tableShapes(md: string): number[][] {
  const shapes: number[][] = [];
  let current: number[] | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      current ??= [];
      current.push(line.split(/(?<!\\)\|/).length - 2);
    } else if (current) {
      shapes.push(current);
      current = null;
    }
  }
  if (current) shapes.push(current);
  return shapes;
}

/** Outside fenced code blocks (where text is literal), no raw HTML, link, image or javascript: target. */
function expectNoLiveMarkup(md: string): void {
  const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  expect(prose).not.toMatch(/<script|<img|<\/script/i);
  expect(prose).not.toContain('](javascript:');
  expect(prose).not.toContain('](http://evil');
  expect(prose).not.toContain('![');
  for (const rows of tableShapes(md))
    expect(new Set(rows).size, `a table row has the wrong column count:\n${md}`).toBe(1);
}

/** A nightly summary whose class, model, tier, target, reason, sample and trend label are all hostile. */
const summary = makeEscalationSummary({
  classes: [
    makeClassReport({
      taskType: TASK,
      model: MODEL,
      tier: 'cheap|x',
      decision: 'escalate',
      to: '<b>top</b>',
      applied: false,
      reason: REASON,
      failedSamples: [
        {
          sampleId: 1,
          eventId: 'e`<script>`',
          response: '```\n</code><script>alert(2)</script>\n````',
          reason: REASON,
        },
      ],
    }),
  ],
  trend: [{ runId: 'r1', label: '2026-11-"26"', rates: { [TASK]: 0.05 } }],
});

describe('hostile task names, models and reasons in the nightly report', () => {
  it('renders the nightly report with no raw HTML, no live link or image, and tables that keep their columns', () => {
    const md = renderReport(summary);
    expectNoLiveMarkup(md);
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\\|x');
  });

  it('keeps a response with backtick runs inside its fenced block', () => {
    const md = renderReport(summary);
    const block = md.match(/^(`{3,})text\n([\s\S]*?)^\1$/m);
    expect(block?.[1].length).toBeGreaterThan(4);
    expect(block?.[2]).toContain('````');
  });
});

describe('hostile task names and models in the demo preface, savings ledger and compression section', () => {
  it('escapes them in the demo preface', () => {
    const night = {
      night: 1,
      date: '2026-11-26',
      events: 10,
      cacheLookups: 0,
      nightly: {
        judge: { judged: 1 },
        routingTableChanged: true,
        routingTable: { versionBefore: 1, versionAfter: 2 },
        classes: [
          {
            taskType: TASK,
            model: MODEL,
            decision: 'escalate',
            to: '<b>x</b>',
            applied: true,
            failures: 1,
            judged: 2,
            errorRate: 0.5,
            lower: 0.1,
            upper: 0.9,
            cusum: { s: 1, h: 1 },
          },
        ],
      },
    };
    const data = { math: [], chat: [], intents: [], classifier: { name: 'nb' } };
    expectNoLiveMarkup(renderDemoPreface([night] as never, data as never));
  });

  it('escapes them in the savings ledger', () => {
    expectNoLiveMarkup(
      renderSavingsLedger({
        premiumModel: MODEL,
        classes: [
          {
            taskType: TASK,
            requests: 1,
            pricedRequests: 1,
            models: [MODEL],
            actualUsd: 1,
            allPremiumUsd: 2,
            routingSavingUsd: 1,
            cacheHits: 0,
            cacheSavingUsd: 0,
          },
        ],
        routingSavingUsd: 1,
        cacheSavingUsd: 0,
        auditUsd: { judge: 0, shadow: 0, total: 0 },
        netSavingUsd: 1,
        unpricedRequests: 0,
        unpricedCacheHits: 0,
      }),
    );
  });

  it('escapes them in the compression section', () => {
    const row = {
      method: 'tfidf',
      ratio: 0.5,
      achievedRatio: 0.5,
      n: 10,
      answerRetention: 0.9,
      lower: 0.8,
      upper: 0.95,
      tokensSaved: 5,
      originalTokens: 10,
      fieldDrops: { [TASK]: { present: 1, dropped: 1 } },
    };
    expectNoLiveMarkup(
      renderCompressionMarkdown({
        dataset: TASK,
        metric: 'retention',
        rows: [row] as never,
        decisions: [
          {
            kind: 'compress',
            group: TASK,
            method: MODEL,
            ratio: 0.5,
            n: 10,
            drop: { n: 10, drop: 0, lower: 0, upper: 0, method: 'paired-normal' },
          },
          { kind: 'none', group: TASK, ratio: 1, n: 10, reason: 'no ratio' },
        ] as never,
        maxDropPoints: 2,
      }),
    );
  });
});
