import type { Db } from '../../db/db.js';
import { recordVerdicts, type VerdictRow } from './sample-queries.js';

/** Buffers verdicts and stores them in one statement per `maxRows` or per `maxDelayMs`. */
export interface VerdictWriter {
  add(row: VerdictRow): void;
  /** Stores what is buffered and waits for every write; rethrows the first write error. */
  close(): Promise<{ pass: number; fail: number }>;
}

/**
 * Write-behind for real-time verdicts: a call slot is freed as soon as its reply is parsed, and
 * 16 verdicts cost one round trip instead of 16 (on embedded PGlite each statement runs on the
 * event loop). A crash loses at most the buffer: those samples stay pending and are judged again
 * next run, paid twice but never counted twice.
 */
export function createVerdictWriter(db: Db, o: { maxRows?: number; maxDelayMs?: number } = {}): VerdictWriter {
  const maxRows = o.maxRows ?? 16;
  const maxDelayMs = o.maxDelayMs ?? 20;
  let buffer: VerdictRow[] = [];
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const stored = { pass: 0, fail: 0 };
  const flush = () => {
    if (timer) { clearTimeout(timer); timer = undefined; }
    if (buffer.length === 0) return;
    const rows = buffer;
    buffer = [];
    // writes run one after another, in order
    chain = chain.then(async () => {
      const r = await recordVerdicts(db, rows);
      stored.pass += r.pass;
      stored.fail += r.fail;
    }).catch((err: unknown) => { failure ??= err; });
  };
  return {
    add(row) {
      buffer.push(row);
      if (buffer.length >= maxRows) flush();
      else timer ??= setTimeout(flush, maxDelayMs);
    },
    async close() {
      flush();
      await chain;
      if (failure) throw failure;
      return { ...stored };
    },
  };
}
