import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Db } from '../db/db.js';
import { InputError } from '../errors.js';
import { parseEvent, type CacheLookup, type RoutingEvent } from './event-schema.js';
import { storeCacheLookups, storeRoutingEvents } from './store-events.js';
import { storeVerdicts, type VerdictLine } from './store-verdicts.js';

export interface IngestCounts {
  /** Newly stored routing events. */
  routing: number;
  /** Newly stored cache lookups. */
  cache: number;
  /** Lines whose id was already stored (or repeated within the input). */
  duplicates: number;
  /** Newly stored external verdicts (present when the file held `verdict` lines). */
  verdicts?: number;
}

export interface IngestOptions {
  batchSize?: number;
  /** Called after each stored batch with the lines read so far. */
  onProgress?: (linesRead: number) => void;
}

/**
 * Streams a JSONL file of routing events and cache lookups into the database in one
 * transaction: a bad line throws InputError naming file, line and field, and nothing
 * from the file is stored. Ids already stored are skipped, so re-ingesting is a no-op.
 */
export async function ingestFile(db: Db, file: string, options: IngestOptions = {}): Promise<IngestCounts> {
  const batchSize = options.batchSize ?? 2000;
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (err) => reject(new InputError(`cannot read ${file}: ${err.message}`, { cause: err })));
  });
  await opened;
  return db.transaction(async (tx) => {
    const counts: IngestCounts = { routing: 0, cache: 0, duplicates: 0 };
    let routing: RoutingEvent[] = [];
    let cache: CacheLookup[] = [];
    // verdicts are stored after every event of the file, so one may follow its event in the same file
    const verdicts: VerdictLine[] = [];
    let lineNo = 0;
    const flush = async () => {
      const newRouting = await storeRoutingEvents(tx, dedupeById(routing));
      const newCache = await storeCacheLookups(tx, dedupeById(cache));
      counts.routing += newRouting;
      counts.cache += newCache;
      counts.duplicates += routing.length + cache.length - newRouting - newCache;
      routing = [];
      cache = [];
      options.onProgress?.(lineNo);
    };
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    try {
      for await (const raw of lines) {
        lineNo++;
        const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (err) {
          throw new InputError(`${file}:${lineNo}: invalid JSON: ${(err as Error).message}; nothing from this file was stored`);
        }
        const parsed = parseEvent(value);
        if (!parsed.ok) throw new InputError(`${file}:${lineNo}: ${parsed.problem}; nothing from this file was stored`);
        if (parsed.event.kind === 'routing') routing.push(parsed.event);
        else if (parsed.event.kind === 'verdict') verdicts.push({ line: lineNo, event: parsed.event });
        else cache.push(parsed.event);
        if (routing.length + cache.length >= batchSize) await flush();
      }
    } finally {
      lines.close();
      stream.destroy();
    }
    await flush();
    if (verdicts.length > 0) {
      const v = await storeVerdicts(tx, file, verdicts);
      counts.verdicts = v.stored;
      counts.duplicates += v.duplicates;
    }
    return counts;
  });
}

/** Keeps the first of repeated ids within one batch (a single INSERT cannot touch a row twice). */
function dedupeById<T extends { id: string }>(events: T[]): T[] {
  const seen = new Set<string>();
  return events.filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
}
