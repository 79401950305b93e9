import type { Db, Queryable } from '../db/db.js';
import { DatabaseError, InputError } from '../errors.js';
import { MAX_INDEXED_DIMS } from './embedder.js';
import { encodeCacheEntriesCopy, toVectorLiteral, type CopyRow } from './vector-sql.js';

/** The closest cached entry for a lookup, with cosine similarity clamped to [0, 1]. */
export interface NearestEntry {
  id: string;
  query: string;
  result: unknown;
  similarity: number;
  createdAt: Date;
}

/** Raised when the database has no cache table because it lacks pgvector. Exit code 2. */
export function cacheUnavailableError(location: string): DatabaseError {
  return new DatabaseError(
    `the semantic cache needs the pgvector extension, and ${location} does not have it (migration 002_semantic_cache.sql was skipped). ` +
      'Install pgvector on that server and run `driftwatch migrate`, or use the embedded database (omit DATABASE_URL / --db). Every other driftwatch feature works without it.',
    { code: 'cache_unavailable', exitCode: 2 },
  );
}

/** Throws cacheUnavailableError unless cache_entries exists; returns the pgvector version. */
export async function checkCacheTable(db: Db): Promise<string> {
  const r = await db.query<{ ok: boolean; v: string | null }>(
    `select to_regclass('cache_entries') is not null as ok, (select extversion from pg_extension where extname = 'vector') as v`,
  );
  if (!r.rows[0]?.ok) throw cacheUnavailableError(db.location);
  return r.rows[0].v ?? '0';
}

/** Creates the partial HNSW index serving `dims`-sized vectors (512 and 1,536 come with migration 002). */
export async function ensureDimsIndex(db: Db, dims: number): Promise<void> {
  if (!Number.isInteger(dims) || dims < 1 || dims > MAX_INDEXED_DIMS) {
    throw new InputError(
      `embedding size ${dims} cannot be indexed: pgvector HNSW supports 1..${MAX_INDEXED_DIMS} dimensions; configure the embedder with fewer dimensions`,
    );
  }
  await db.exec(
    `create index if not exists cache_entries_hnsw_${dims} on cache_entries using hnsw ((embedding::vector(${dims})) vector_cosine_ops) where dims = ${dims}`,
  );
}

/** Scope of a nearest-neighbour search: one embedder, one task class, entries newer than `since`. */
export interface NearestQuery {
  embedding: number[];
  embedder: string;
  taskType: string;
  since?: Date;
  /** Exact scan instead of HNSW (benchmarks and recall checks). */
  exact?: boolean;
  /** pgvector >= 0.8: keep scanning HNSW until a row passes the filters. */
  iterativeScan?: boolean;
}

/** Finds the closest entry in scope, or null when the scope is empty. */
export async function findNearest(db: Db, q: NearestQuery): Promise<NearestEntry | null> {
  const d = q.embedding.length;
  const sql = `select id::text as id, query, result, created_at,
      1 - (embedding::vector(${d}) <=> $1::vector(${d})) as similarity
    from cache_entries
    where dims = ${d} and embedder = $2 and task_type = $3 and created_at >= $4
    order by embedding::vector(${d}) <=> $1::vector(${d}) limit 1`;
  const params = [toVectorLiteral(q.embedding), q.embedder, q.taskType, q.since ?? new Date(0)];
  // The planner prices a sequential scan without the cost of detoasting and comparing every
  // vector (measured: 216 ms vs 1 ms on 10k x 512 in PGlite), so the index path is forced.
  const r = await db.transaction(async (tx: Queryable) => {
    if (q.exact) await tx.query('set local enable_indexscan = off');
    else {
      await tx.query('set local enable_seqscan = off');
      if (q.iterativeScan) await tx.query(`set local hnsw.iterative_scan = strict_order`);
    }
    return tx.query<{ id: string; query: string; result: unknown; created_at: Date; similarity: number }>(sql, params);
  });
  const row = r.rows[0];
  if (!row) return null;
  const similarity = Math.min(1, Math.max(0, Number(row.similarity)));
  return { id: row.id, query: row.query, result: row.result, similarity, createdAt: new Date(row.created_at) };
}

/** Stores one entry; returns its id. */
export async function insertEntry(db: Queryable, row: CopyRow): Promise<string> {
  const r = await db.query<{ id: string }>(
    `insert into cache_entries (task_type, query, embedding, dims, embedder, result, created_at)
     values ($1, $2, $3::vector, $4, $5, $6::jsonb, $7) returning id::text as id`,
    [
      row.taskType,
      row.query,
      toVectorLiteral(row.embedding),
      row.embedding.length,
      row.embedder,
      JSON.stringify(row.result),
      row.createdAt,
    ],
  );
  return r.rows[0].id;
}

/** Loads of at least this many rows rebuild the HNSW index once instead of growing it row by row. */
export const REBUILD_AT = 2000;

/** Bulk load: binary COPY on PGlite, one multi-row insert per 200 rows on pg. All or nothing. */
export async function insertEntries(db: Db, rows: CopyRow[]): Promise<void> {
  if (rows.length === 0) return;
  const copySql = `copy cache_entries (task_type, query, embedding, dims, embedder, result, created_at) from '/dev/blob' with (format binary)`;
  if (db.copyBinary) {
    // HNSW: one build after a large load is several times faster than inserting into the graph.
    const dims = rows[0].embedding.length;
    const rebuild = rows.length >= REBUILD_AT && rows.every((r) => r.embedding.length === dims);
    if (rebuild) await db.exec(`drop index if exists cache_entries_hnsw_${dims}`);
    await db.copyBinary(copySql, encodeCacheEntriesCopy(rows));
    if (rebuild) {
      await db.exec(`set maintenance_work_mem = '256MB'`);
      await ensureDimsIndex(db, dims);
    }
    return;
  }
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      const values = chunk.map(
        (_, j) =>
          `($${j * 7 + 1}, $${j * 7 + 2}, $${j * 7 + 3}::vector, $${j * 7 + 4}, $${j * 7 + 5}, $${j * 7 + 6}::jsonb, $${j * 7 + 7})`,
      );
      const params = chunk.flatMap((r) => [
        r.taskType,
        r.query,
        toVectorLiteral(r.embedding),
        r.embedding.length,
        r.embedder,
        JSON.stringify(r.result),
        r.createdAt,
      ]);
      await tx.query(
        `insert into cache_entries (task_type, query, embedding, dims, embedder, result, created_at) values ${values.join(', ')}`,
        params,
      );
    }
  });
}

/** Entry counts per embedder and size, to explain an empty scope. */
export async function countEntriesByEmbedder(db: Db): Promise<{ embedder: string; dims: number; n: number }[]> {
  const r = await db.query<{ embedder: string; dims: number; n: string }>(
    `select embedder, dims, count(*)::text as n from cache_entries group by 1, 2 order by 3 desc`,
  );
  return r.rows.map((x) => ({ embedder: x.embedder, dims: Number(x.dims), n: Number(x.n) }));
}
