/** Rows and affected-row count of one statement, the same shape on PGlite and pg. */
export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/** What a statement runner offers: a Db, or a transaction inside one. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** How a transaction may be retried when its connection is lost. */
export interface TransactionOptions {
  /** `fn` may run again from the start after a lost connection (the first attempt was rolled back). */
  retry?: boolean;
  /** `begin read only`: the server refuses any write inside it (reading another application's database). */
  readOnly?: boolean;
}

/**
 * The narrow database port every feature uses. Two adapters: embedded PGlite
 * (one session, in-process) and a PostgreSQL server through `pg`.
 */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'pg';
  /** Human-readable location for messages: a folder or a redacted URL. */
  readonly location: string;
  /**
   * Runs `fn` in one transaction; it rolls back when `fn` throws. When the connection is lost
   * (PostgreSQL), the transaction is rolled back and the error has code `db_connection_lost`;
   * with `{ retry: true }` the caller declares `fn` safe to run again from the start (no effects
   * outside this transaction, idempotent by key), and the whole transaction is retried with
   * backoff instead. Statements run directly on the Db are retried on a lost connection when
   * they read only or certainly never ran.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** True when the `vector` extension can be created on this database. */
  vectorAvailable(): Promise<boolean>;
  /**
   * Holds a session-level lock named `key` until the returned release is called;
   * null when another session holds it. On PGlite the process-level folder lock
   * already excludes other processes, so this always succeeds.
   */
  tryLock(key: string): Promise<(() => Promise<void>) | null>;
  /**
   * PostgreSQL only: whether this process still holds the lock `key` taken by tryLock (false once
   * its session ended: server restart, terminated backend, lost network). Absent on PGlite, whose
   * folder lock lasts as long as the process.
   */
  lockHeld?(key: string): Promise<boolean>;
  close(): Promise<void>;
  /**
   * Embedded PGlite only: runs `COPY ... FROM '/dev/blob' WITH (FORMAT binary)` over `data`
   * (bulk vector loads, ~15x faster than text inserts there). Absent on pg.
   */
  copyBinary?(sql: string, data: Uint8Array): Promise<void>;
}
