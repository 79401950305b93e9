import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.js';
import { InputError } from '../errors.js';
import { assertEmbeddingSize, type Embedder } from './embedder.js';
import {
  checkCacheTable,
  countEntriesByEmbedder,
  ensureDimsIndex,
  findNearest,
  insertEntries,
  insertEntry,
  type NearestEntry,
} from './cache-store.js';
import { logCacheLookup, resultText } from './lookup-log.js';

/** What createSemanticCache needs. Thresholds are cosine similarities in [0, 1]. */
export interface SemanticCacheOptions {
  db: Db;
  embedder: Embedder;
  /** Default hit threshold; `thresholds[taskType]` overrides it per task class. */
  threshold: number;
  /** Entries older than this are ignored (no expiry when unset). */
  ttlHours?: number;
  thresholds?: Record<string, number>;
  /** Task classes never looked up nor stored (e.g. compliance). */
  noCache?: string[];
  log?: (message: string) => void;
  now?: () => Date;
  newId?: () => string;
}

/** One lookup's outcome; `lookupId` is the cache_lookups row it was logged as. */
export interface CacheLookupOutcome {
  lookupId: string;
  hit: boolean;
  similarity: number;
  threshold: number;
  matched: NearestEntry | null;
}

/** The task class used when a caller gives none. */
export const DEFAULT_TASK_TYPE = 'default';

/** A pgvector-backed semantic cache whose every lookup is logged for false-hit auditing. */
export interface SemanticCache {
  readonly embedder: Embedder;
  thresholdFor(taskType?: string): number;
  /** Looks up without computing; logs the lookup (with `reference` when the caller knows it). */
  lookup(
    query: string,
    opts?: { taskType?: string; reference?: unknown; id?: string; embedding?: number[] },
  ): Promise<CacheLookupOutcome>;
  /** Looks up without logging (replays and simulations). */
  probe(
    query: string,
    opts?: { taskType?: string; embedding?: number[] },
  ): Promise<Omit<CacheLookupOutcome, 'lookupId'>>;
  /** Embeds many queries in batches (what `embedding` of lookup/probe takes: replays embed once, in bulk). */
  embedMany(queries: string[]): Promise<number[][]>;
  /** Serves a hit, or computes, stores and returns; the log's reference is the computed answer on a miss. */
  getOrCompute<T>(
    query: string,
    compute: () => Promise<T>,
    opts?: { taskType?: string },
  ): Promise<{ value: T; hit: boolean; lookup: CacheLookupOutcome | null }>;
  /** Bulk-fills the cache (warm start); returns the number of entries stored. */
  fill(entries: { query: string; result: unknown; taskType?: string; createdAt?: Date }[]): Promise<number>;
}

/** Checks the table (pgvector present), the embedder's index, and returns the cache. */
export async function createSemanticCache(o: SemanticCacheOptions): Promise<SemanticCache> {
  checkThreshold('threshold', o.threshold);
  for (const [k, v] of Object.entries(o.thresholds ?? {})) checkThreshold(`thresholds.${k}`, v);
  const version = await checkCacheTable(o.db);
  await ensureDimsIndex(o.db, o.embedder.dims);
  await noticeOtherEmbedders(o);
  const ctx: CacheContext = {
    o,
    iterativeScan: compareVersions(version, '0.8.0') >= 0,
    now: o.now ?? (() => new Date()),
    thresholdFor: (t = DEFAULT_TASK_TYPE) => o.thresholds?.[t] ?? o.threshold,
  };
  const newId = o.newId ?? (() => `lk-${randomUUID()}`);
  const noCache = new Set(o.noCache ?? []);

  return {
    embedder: o.embedder,
    thresholdFor: ctx.thresholdFor,
    async lookup(query, opts = {}) {
      const taskType = opts.taskType ?? DEFAULT_TASK_TYPE;
      if (noCache.has(taskType))
        throw new InputError(`task class ${taskType} is marked no-cache (cache.noCache); it is never looked up`);
      const s = await search(ctx, query, taskType, opts.embedding);
      return record(ctx, opts.id ?? newId(), query, taskType, s, opts.reference);
    },
    async probe(query, opts = {}) {
      const s = await search(ctx, query, opts.taskType ?? DEFAULT_TASK_TYPE, opts.embedding);
      return { hit: s.hit, similarity: s.similarity, threshold: s.threshold, matched: s.matched };
    },
    async getOrCompute(query, compute, opts = {}) {
      const taskType = opts.taskType ?? DEFAULT_TASK_TYPE;
      if (noCache.has(taskType)) return { value: await compute(), hit: false, lookup: null };
      const s = await search(ctx, query, taskType);
      if (s.hit)
        return {
          value: s.matched!.result as never,
          hit: true,
          lookup: await record(ctx, newId(), query, taskType, s, undefined),
        };
      const value = await compute();
      await insertEntry(o.db, {
        taskType,
        query,
        embedding: s.embedding,
        embedder: o.embedder.id,
        result: value,
        createdAt: ctx.now(),
      });
      return { value, hit: false, lookup: await record(ctx, newId(), query, taskType, s, value) };
    },
    embedMany: (texts) => embedMany(o.embedder, texts),
    async fill(entries) {
      const kept = entries.filter((e) => !noCache.has(e.taskType ?? DEFAULT_TASK_TYPE));
      const vectors = await embedMany(
        o.embedder,
        kept.map((e) => e.query),
      );
      await insertEntries(
        o.db,
        kept.map((e, i) => ({
          taskType: e.taskType ?? DEFAULT_TASK_TYPE,
          query: e.query,
          embedding: vectors[i],
          embedder: o.embedder.id,
          result: e.result,
          createdAt: e.createdAt ?? ctx.now(),
        })),
      );
      return kept.length;
    },
  };
}

/** What the lookup steps share once the cache is created. */
interface CacheContext {
  o: SemanticCacheOptions;
  /** pgvector >= 0.8 can keep scanning past filtered-out neighbours. */
  iterativeScan: boolean;
  now: () => Date;
  thresholdFor: (taskType?: string) => number;
}

type SearchResult = Awaited<ReturnType<typeof search>>;

async function embedOne(embedder: Embedder, text: string): Promise<number[]> {
  const [v] = await embedder.embed([text]);
  assertEmbeddingSize(embedder, v);
  return v;
}

async function embedMany(embedder: Embedder, texts: string[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let i = 0; i < texts.length; i += 256) vectors.push(...(await embedder.embed(texts.slice(i, i + 256))));
  for (const [i, v] of vectors.entries()) assertEmbeddingSize(embedder, v, i);
  return vectors;
}

/** The nearest live entry of the task class (within the TTL) and whether it clears the class's threshold. */
async function search(ctx: CacheContext, query: string, taskType: string, given?: number[]) {
  const { o, now, iterativeScan } = ctx;
  if (given) assertEmbeddingSize(o.embedder, given);
  const embedding = given ?? (await embedOne(o.embedder, query));
  const since = o.ttlHours === undefined ? undefined : new Date(now().getTime() - o.ttlHours * 3_600_000);
  const matched = await findNearest(o.db, { embedding, embedder: o.embedder.id, taskType, since, iterativeScan });
  const threshold = ctx.thresholdFor(taskType);
  const similarity = matched?.similarity ?? 0;
  return { embedding, matched, threshold, similarity, hit: matched !== null && similarity >= threshold };
}

/** Logs one lookup as a cache_lookups row and returns its outcome. */
async function record(
  ctx: CacheContext,
  id: string,
  query: string,
  taskType: string,
  s: SearchResult,
  reference: unknown,
): Promise<CacheLookupOutcome> {
  const { o } = ctx;
  await logCacheLookup(o.db, {
    id,
    ts: ctx.now(),
    taskType,
    query,
    hit: s.hit,
    similarity: s.similarity,
    threshold: s.threshold,
    matchedQuery: s.matched?.query,
    result: s.matched ? resultText(s.matched.result) : undefined,
    reference: reference === undefined ? undefined : resultText(reference),
    metadata: { embedder: o.embedder.id, embedderKind: o.embedder.kind, entryId: s.matched?.id ?? null },
  });
  return { lookupId: id, hit: s.hit, similarity: s.similarity, threshold: s.threshold, matched: s.matched };
}

function checkThreshold(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new InputError(`cache ${name} must be a cosine similarity between 0 and 1, got ${v}`);
}

async function noticeOtherEmbedders(o: SemanticCacheOptions): Promise<void> {
  const counts = await countEntriesByEmbedder(o.db);
  if (counts.length === 0 || counts.some((c) => c.embedder === o.embedder.id)) return;
  const held = counts.map((c) => `${c.n} from ${c.embedder} (${c.dims} dims)`).join(', ');
  o.log?.(
    `semantic cache: the table holds ${held}, none from ${o.embedder.id} (${o.embedder.dims} dims); those entries are not comparable with this embedder, so the cache starts empty for it (run driftwatch cache-warm to fill it)`,
  );
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
