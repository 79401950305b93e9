import { describe, expect, it } from 'vitest';
import { DatabaseError } from '../errors.js';
import { backoffMs, DEFAULT_RETRY, isConnectionLoss, isReadOnly, surelyNotApplied } from './connection-loss.js';
import { wrapDbError } from './wrap-error.js';

const serverEnded = Object.assign(new Error('terminating connection due to administrator command'), {
  code: '57P01',
  severity: 'FATAL',
});
const socketBroke = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

describe('isConnectionLoss', () => {
  it('recognises server shutdowns, class 08, broken sockets and ended clients, through wrapping', () => {
    expect(isConnectionLoss(wrapDbError(serverEnded, 'select 1'))).toBe(true);
    expect(isConnectionLoss(new DatabaseError('migration failed', { cause: wrapDbError(socketBroke, 'x') }))).toBe(
      true,
    );
    expect(isConnectionLoss(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isConnectionLoss(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('leaves the statement’s own errors alone', () => {
    expect(isConnectionLoss(wrapDbError(Object.assign(new Error('duplicate key'), { code: '23505' }), 'insert'))).toBe(
      false,
    );
    expect(
      isConnectionLoss(wrapDbError(Object.assign(new Error('deadlock detected'), { code: '40P01' }), 'insert')),
    ).toBe(false);
  });
});

describe('surelyNotApplied', () => {
  it('is true when the server reported ending the session or the client had no live connection, not for a socket that broke mid-statement', () => {
    expect(surelyNotApplied(wrapDbError(serverEnded, 'update t'))).toBe(true);
    expect(surelyNotApplied(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(surelyNotApplied(wrapDbError(socketBroke, 'update t'))).toBe(false);
    expect(surelyNotApplied(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});

describe('isReadOnly', () => {
  it('takes selects and read-only CTEs, not writes hidden in a CTE', () => {
    expect(isReadOnly('select count(*) from samples')).toBe(true);
    expect(isReadOnly('  -- why\n with x as (select 1) select * from x')).toBe(true);
    expect(
      isReadOnly('with v as (select 1), ins as (insert into t select * from v returning 1) select count(*) from ins'),
    ).toBe(false);
    expect(isReadOnly("update samples set status = 'claimed'")).toBe(false);
  });
});

describe('backoffMs', () => {
  it('doubles from the base up to the ceiling, within ±20%', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffMs(DEFAULT_RETRY, a, () => 0.5))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000,
    ]);
    expect(backoffMs(DEFAULT_RETRY, 1, () => 0)).toBe(160);
    expect(backoffMs(DEFAULT_RETRY, 7, () => 1)).toBe(6000);
  });
});
