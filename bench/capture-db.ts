// A Db that records every statement it (and each transaction inside it) runs, with its time.
import type { Db, Queryable } from '../src/db/db.js';

/** One statement as the nightly sent it: its text, its first parameters, how often and how long in all. */
export interface CapturedStatement {
  sql: string;
  params: unknown[] | undefined;
  exec: boolean;
  calls: number;
  ms: number;
}

/** Statements keyed by their text with whitespace collapsed, in the order first seen. */
export type Capture = Map<string, CapturedStatement>;

const key = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function record(log: Capture, sql: string, params: unknown[] | undefined, exec: boolean, ms: number): void {
  const k = key(sql);
  const s = log.get(k) ?? { sql, params, exec, calls: 0, ms: 0 };
  s.calls++;
  s.ms += ms;
  log.set(k, s);
}

function wrap(q: Queryable, log: Capture): Queryable {
  return {
    async query(sql, params) {
      const t = performance.now();
      try {
        return await q.query(sql, params);
      } finally {
        record(log, sql, params, false, performance.now() - t);
      }
    },
    async exec(sql) {
      const t = performance.now();
      try {
        return await q.exec(sql);
      } finally {
        record(log, sql, undefined, true, performance.now() - t);
      }
    },
  };
}

/** `db` with every query and exec, in transactions too, recorded into `log`. */
export function captureDb(db: Db, log: Capture): Db {
  const q = wrap(db, log);
  return {
    kind: db.kind,
    location: db.location,
    query: q.query,
    exec: q.exec,
    transaction: (fn, options) => db.transaction((tx) => fn(wrap(tx, log)), options),
    vectorAvailable: () => db.vectorAvailable(),
    tryLock: (k) => db.tryLock(k),
    ...(db.lockHeld ? { lockHeld: (k: string) => db.lockHeld!(k) } : {}),
    ...(db.copyBinary ? { copyBinary: (sql: string, data: Uint8Array) => db.copyBinary!(sql, data) } : {}),
    close: () => db.close(),
  };
}
