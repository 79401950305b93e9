import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPglite } from '../../test/support/test-db.js';
import { finishRun, startRun } from '../runs/run-record.js';
import { loadStoredRunSummary } from './stored-run-summary.js';

describe('loadStoredRunSummary', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('reads a summary stored before the rate had one name (rawRate) with errorRate', async () => {
    const id = await startRun(db, { kind: 'nightly', startedAt: new Date('2026-11-20T02:00:00Z') });
    const report = { kind: 'nightly', runId: id, classes: [{ taskType: 'classify', rawRate: 0.01, judged: 100 }] };
    await finishRun(db, { id, status: 'ok', summary: { report, json: {} } });
    const latest = await loadStoredRunSummary(db);
    expect(latest!.summary.report.classes).toEqual([{ taskType: 'classify', errorRate: 0.01, judged: 100 }]);
  });
});
