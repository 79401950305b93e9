import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Db } from '../db/db.js';
import { InputError } from '../errors.js';
import { parseCsv, type CsvRecord } from '../text/parse-csv.js';
import type { Embedder } from './embedder.js';
import { createLexicalEmbedder } from './lexical-embedder.js';
import { createSemanticCache } from './semantic-cache.js';

/** One Banking77 query and its gold intent label. */
export interface Banking77Query {
  text: string;
  intent: string;
}

/** The bundled copy of Banking77 (PolyAI, CC BY 4.0; see datasets/banking77/SOURCE.md). */
export const BANKING77_DIR = fileURLToPath(new URL('../../datasets/banking77/', import.meta.url));

/** Reads train.csv, test.csv and categories.json (77 intents). */
export function loadBanking77(dir: string = BANKING77_DIR): {
  train: Banking77Query[];
  test: Banking77Query[];
  intents: string[];
} {
  const intents = JSON.parse(readFileSync(path.join(dir, 'categories.json'), 'utf8')) as string[];
  const read = (f: string) => parseTwoColumnCsv(readFileSync(path.join(dir, f), 'utf8'), path.join(dir, f));
  return { train: read('train.csv'), test: read('test.csv'), intents };
}

/**
 * The canned support answer for an intent. These are PLACEHOLDERS keyed by the real intent
 * labels (Banking77 ships queries and labels, no answers): two queries deserve the same answer
 * exactly when they share an intent, which is all a false-hit audit needs.
 */
export function cannedAnswer(intent: string): string {
  return `[${intent}] Answer for: ${intent.replace(/_/g, ' ')}`;
}

/** Parses `text,category` CSV (RFC 4180 quoting); names file and line on a bad row. */
export function parseTwoColumnCsv(content: string, file: string): Banking77Query[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(content);
  } catch (err) {
    throw new InputError(`${file}: ${(err as Error).message}`, { cause: err });
  }
  return records.slice(1).map(({ line, fields }) => {
    if (fields.length !== 2 || fields[1].trim() === '')
      throw new InputError(`${file}:${line}: expected "text,category", got ${fields.length} field(s)`);
    return { text: fields[0].trim(), intent: fields[1].trim() };
  });
}

/** Options of the Banking77 cache demo; defaults use every train and test query. */
export interface Banking77DemoOptions {
  embedder?: Embedder;
  threshold?: number;
  taskType?: string;
  /** Use every k-th test query (1 = all 3,080). */
  testStride?: number;
  /** With testStride k: which residue class of the test split to use (0..k-1), so k calls cover it once. */
  testOffset?: number;
  /** At most this many train queries per intent (all when unset). */
  trainPerIntent?: number;
  now?: () => Date;
  log?: (message: string) => void;
}

/** What the demo did: entries filled, lookups logged, hits and false hits at the threshold. */
export interface Banking77DemoResult {
  taskType: string;
  embedder: string;
  threshold: number;
  filled: number;
  lookups: number;
  hits: number;
  falseHits: number;
  lookupIds: string[];
  /** Wall time of embedding the test queries (one batched pass), per query. */
  msPerEmbedding: number | null;
}

/** The first `perIntent` queries of each intent, in file order: the train entries the cache demo fills. */
export function firstPerIntent(queries: Banking77Query[], perIntent: number): Banking77Query[] {
  const seen = new Map<string, number>();
  return queries.filter((q) => seen.set(q.intent, (seen.get(q.intent) ?? 0) + 1).get(q.intent)! <= perIntent);
}

/**
 * Fills the cache with the train split (query -> canned answer of its intent), then looks up
 * test queries through the real cache code, logging each as a cache_lookups event whose
 * reference is the canned answer of the query's true intent (so a hit is false exactly when
 * the matched entry's intent differs, which the offline judge sees). Re-running adds nothing.
 * The test queries are embedded up front in batches (a model embeds a batch far faster than one
 * text at a time), then looked up one by one.
 */
export async function buildBanking77CacheDemo(db: Db, o: Banking77DemoOptions = {}): Promise<Banking77DemoResult> {
  const data = loadBanking77();
  const embedder = o.embedder ?? createLexicalEmbedder();
  const taskType = o.taskType ?? 'banking77_support';
  const threshold = o.threshold ?? 0.92;
  const cache = await createSemanticCache({ db, embedder, threshold, now: o.now, log: o.log });
  const existing = await db.query<{ n: number }>(
    'select count(*)::int as n from cache_entries where task_type = $1 and embedder = $2',
    [taskType, embedder.id],
  );
  let filled = 0;
  if (existing.rows[0].n === 0) {
    const train = firstPerIntent(data.train, o.trainPerIntent ?? Infinity);
    filled = await cache.fill(train.map((q) => ({ query: q.text, result: cannedAnswer(q.intent), taskType })));
    await db.exec('analyze cache_entries');
    o.log?.(`banking77: cached ${filled} train queries (${embedder.kind} embedder ${embedder.id})`);
  }
  const stride = o.testStride ?? 1;
  const offset = o.testOffset ?? 0;
  const test = data.test.map((q, index) => ({ ...q, index })).filter((q) => q.index % stride === offset);
  let hits = 0;
  let falseHits = 0;
  const lookupIds: string[] = [];
  const embedStarted = performance.now();
  const vectors = await cache.embedMany(test.map((q) => q.text));
  const embedMs = performance.now() - embedStarted;
  for (const [i, q] of test.entries()) {
    const id = `b77-${embedder.id}-test-${q.index}`;
    const r = await cache.lookup(q.text, { taskType, reference: cannedAnswer(q.intent), id, embedding: vectors[i] });
    lookupIds.push(id);
    if (r.hit) {
      hits++;
      if (r.matched!.result !== cannedAnswer(q.intent)) falseHits++;
    }
  }
  return {
    taskType,
    embedder: embedder.id,
    threshold,
    filled,
    lookups: test.length,
    hits,
    falseHits,
    lookupIds,
    msPerEmbedding: test.length > 0 ? embedMs / test.length : null,
  };
}
