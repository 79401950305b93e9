import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeCost } from './compute-cost.js';
import { loadWorkload } from './workload.js';

describe('computeCost', () => {
  it('reproduces the contract example: 37.50 before, 0.39 after', () => {
    const t = computeCost({
      tasks: [
        {
          name: 'intent_classification',
          requestsPerDay: 25000,
          inputTokens: 400,
          outputTokens: 50,
          before: { model: 'gpt-4o', cacheHitRate: 0, batch: false },
          after: { model: 'gpt-4o-mini', cacheHitRate: 0.65, batch: true },
        },
      ],
    });
    expect(t.before.totalUsd).toBe(37.5);
    expect(t.after.totalUsd).toBe(0.39);
    expect(t.savingUsd).toBe(37.11);
    expect(t.savingPct).toBe(98.9);
    expect(t.after.rows[0]).toMatchObject({
      effectiveRequests: 8750,
      discount: 0.5,
      pricePer1MInput: 0.15,
      pricePer1MOutput: 0.6,
    });
  });

  it('counts embedding cost of cache lookups when an embedding model is named', () => {
    const t = computeCost({
      tasks: [
        {
          name: 'x',
          requestsPerDay: 1000,
          inputTokens: 1000,
          outputTokens: 0,
          before: { model: 'gpt-4o', cacheHitRate: 0, batch: false },
          after: { model: 'gpt-4o', cacheHitRate: 1, batch: false, embeddingModel: 'text-embedding-3-small' },
        },
      ],
    });
    expect(t.after.rows[0].embeddingUsd).toBeCloseTo(0.02, 10);
    expect(t.after.rows[0].modelUsd).toBe(0);
  });

  it('computes the bundled five-task example', () => {
    const t = computeCost(loadWorkload('examples/workload.yaml'));
    expect(t.before.rows.map((r) => r.task)).toHaveLength(5);
    expect(t.before.rows.reduce((s, r) => s + r.requestsPerDay, 0)).toBe(50000);
    expect(t.after.totalUsd).toBeLessThan(t.before.totalUsd);
  });
});

describe('loadWorkload', () => {
  it('names file, line and field for a bad value', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-wl-')), 'w.yaml');
    writeFileSync(
      file,
      'tasks:\n  - name: a\n    requestsPerDay: lots\n    inputTokens: 1\n    outputTokens: 1\n    before: { model: gpt-4o }\n    after: { model: gpt-4o }\n',
    );
    expect(() => loadWorkload(file)).toThrow(`${file}:3: tasks.0.requestsPerDay:`);
  });
  it('names an unknown model', () => {
    expect(() =>
      computeCost({
        tasks: [
          {
            name: 'a',
            requestsPerDay: 1,
            inputTokens: 1,
            outputTokens: 1,
            before: { model: 'gpt-9', cacheHitRate: 0, batch: false },
            after: { model: 'gpt-4o', cacheHitRate: 0, batch: false },
          },
        ],
      }),
    ).toThrow(/no price for model "gpt-9"/);
  });
});
