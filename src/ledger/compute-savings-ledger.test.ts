import { describe, expect, it } from 'vitest';
import { callCostUsd } from '../routing/price-catalog.js';
import { parseRoutingTable } from '../routing/routing-table.js';
import { renderSavingsLedger } from '../reports/render-savings-ledger.js';
import { computeSavingsLedger, type LedgerEventGroup } from './compute-savings-ledger.js';

const table = parseRoutingTable(
  'version: 1\ntiers:\n  cheap: gpt-4o-mini\n  premium: gpt-4o\ntaskClasses:\n  classify: { tier: cheap }\n  support: { tier: cheap }\n',
  'routing.yaml',
).table;
const group = (g: Partial<LedgerEventGroup>): LedgerEventGroup => ({
  taskType: 'classify',
  model: 'gpt-4o-mini',
  shadow: false,
  requests: 0,
  withTokens: 0,
  inputTokens: 0,
  outputTokens: 0,
  recordedUsd: 0,
  unrecordedInputTokens: 0,
  unrecordedOutputTokens: 0,
  ...g,
});

describe('computeSavingsLedger', () => {
  it('prices routed tokens against the top tier, credits cache hits at the class average and nets the audit', () => {
    const l = computeSavingsLedger(
      {
        groups: [
          // 1,000 priced from the catalog, 50 without token counts
          group({
            requests: 1050,
            withTokens: 1000,
            inputTokens: 100_000,
            outputTokens: 10_000,
            unrecordedInputTokens: 100_000,
            unrecordedOutputTokens: 10_000,
          }),
          // an escalated class: served by the premium model with a recorded cost, its cheap model shadow-run
          group({
            taskType: 'math',
            model: 'gpt-4o',
            requests: 200,
            withTokens: 200,
            inputTokens: 40_000,
            outputTokens: 20_000,
            recordedUsd: 0.31,
          }),
          group({
            taskType: 'math',
            model: 'gpt-4o-mini',
            shadow: true,
            requests: 200,
            withTokens: 200,
            inputTokens: 40_000,
            outputTokens: 20_000,
            unrecordedInputTokens: 40_000,
            unrecordedOutputTokens: 20_000,
          }),
        ],
        cacheHits: { classify: 200, faq: 30 },
      },
      table,
      0.05,
    );
    const mini = callCostUsd('gpt-4o-mini', 100_000, 10_000);
    const premium = callCostUsd('gpt-4o', 100_000, 10_000);
    const classify = l.classes.find((c) => c.taskType === 'classify')!;
    expect(l.premiumModel).toBe('gpt-4o');
    expect(classify).toMatchObject({ requests: 1050, pricedRequests: 1000, cacheHits: 200 });
    expect(classify.actualUsd).toBeCloseTo(mini, 12);
    expect(classify.routingSavingUsd).toBeCloseTo(premium - mini, 12);
    expect(classify.cacheSavingUsd).toBeCloseTo((200 * mini) / 1000, 12);
    const math = l.classes.find((c) => c.taskType === 'math')!;
    expect(math.actualUsd).toBeCloseTo(0.31, 12); // the recorded cost, as given
    expect(math.routingSavingUsd).toBeCloseTo(callCostUsd('gpt-4o', 40_000, 20_000) - 0.31, 12);
    expect(l.auditUsd.shadow).toBeCloseTo(callCostUsd('gpt-4o-mini', 40_000, 20_000), 12);
    expect(l.auditUsd.total).toBeCloseTo(0.05 + l.auditUsd.shadow, 12);
    expect(l.netSavingUsd).toBeCloseTo(l.routingSavingUsd + l.cacheSavingUsd - l.auditUsd.total, 12);
    expect(l).toMatchObject({ unpricedRequests: 50, unpricedCacheHits: 30 });
    const md = renderSavingsLedger(l);
    expect(md).toContain('| classify | 1050 | 1000 | gpt-4o-mini |');
    expect(md).toContain('Not priced: 50 request(s)');
  });

  it('leaves a model missing from the catalog unpriced unless its cost was recorded', () => {
    const l = computeSavingsLedger(
      {
        groups: [
          group({
            model: 'in-house-7b',
            requests: 10,
            withTokens: 10,
            inputTokens: 1000,
            outputTokens: 100,
            unrecordedInputTokens: 1000,
            unrecordedOutputTokens: 100,
          }),
          group({
            taskType: 'support',
            model: 'in-house-7b',
            requests: 5,
            withTokens: 5,
            inputTokens: 500,
            outputTokens: 50,
            recordedUsd: 0.001,
          }),
        ],
        cacheHits: {},
      },
      table,
      0,
    );
    expect(l.unpricedRequests).toBe(10);
    expect(l.classes.find((c) => c.taskType === 'support')).toMatchObject({ pricedRequests: 5, actualUsd: 0.001 });
  });
});
