import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../errors.js';
import { isConnectionLoss, retryDbWrite } from './retry-db-write.js';

const terminated = () =>
  new DatabaseError('terminating connection due to administrator command (in: insert ...)', {
    cause: Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    code: 'pg_57P01',
  });

describe('retryDbWrite', () => {
  it('tells a lost connection from a wrong statement', () => {
    expect(isConnectionLoss(terminated())).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isConnectionLoss(new DatabaseError('duplicate key value', { code: 'pg_23505' }))).toBe(false);
  });

  it('retries a write after a lost connection with backoff until it succeeds; other errors pass at once', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await retryDbWrite(
      'storing',
      async () => {
        if (++calls < 4) throw terminated();
        return 'stored';
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(out).toBe('stored');
    expect(waits).toEqual([100, 200, 400]);
    await expect(
      retryDbWrite(
        'storing',
        async () => {
          throw new DatabaseError('syntax error', { code: 'pg_42601' });
        },
        { sleep: async () => {} },
      ),
    ).rejects.toThrow(/syntax/);
  });
});
