import { access, constants } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import { InputError } from '../errors.js';
import { parseEvent, type CacheLookup, type RoutingEvent } from './event-schema.js';
import { readLines } from './read-lines.js';
import { checkDuplicateIds, createStage, insertStaged, stageEvents, type StagedEvent } from './stage-events.js';

export interface IngestCounts {
  /** Newly stored routing events. */
  routing: number;
  /** Newly stored cache lookups. */
  cache: number;
  /** Lines whose id was already stored (or repeated within the input with the same content). */
  duplicates: number;
}

export interface IngestOptions {
  batchSize?: number;
  /** Called after each staged batch with the lines read so far. */
  onProgress?: (linesRead: number) => void;
}

/**
 * Streams a JSONL file of routing events and cache lookups into the database in one
 * transaction: a bad line (invalid UTF-8 or JSON, a field the schema or the database refuses, an id
 * repeated with different content) throws InputError naming file, line and field, and nothing from
 * the file is stored. Ids already stored are skipped, so re-ingesting is a no-op; for the same reason
 * a transaction cut by a lost connection is run again from the start.
 */
export async function ingestFile(db: Db, file: string, options: IngestOptions = {}): Promise<IngestCounts> {
  const batchSize = options.batchSize ?? 2000;
  await access(file, constants.R_OK).catch((err: Error) => {
    throw new InputError(`cannot read ${file}: ${err.message}`, { cause: err });
  });
  return db.transaction(async (tx) => {
    await createStage(tx);
    let routing: StagedEvent<RoutingEvent>[] = [];
    let cache: StagedEvent<CacheLookup>[] = [];
    let events = 0;
    let lineNo = 0;
    const flush = async () => {
      await stageEvents(tx, 'routing', file, routing);
      await stageEvents(tx, 'cache', file, cache);
      routing = [];
      cache = [];
      options.onProgress?.(lineNo);
    };
    for await (const line of readLines(file)) {
      lineNo = line.lineNo;
      if (line.text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (err) {
        throw new InputError(`${file}:${lineNo}: invalid JSON: ${(err as Error).message}; nothing from this file was stored`);
      }
      const parsed = parseEvent(value);
      if (!parsed.ok) throw new InputError(`${file}:${lineNo}: ${parsed.problem}; nothing from this file was stored`);
      events++;
      const staged = { line: lineNo };
      if (parsed.event.kind === 'routing') routing.push({ ...staged, event: parsed.event });
      else cache.push({ ...staged, event: parsed.event });
      if (routing.length + cache.length >= batchSize) await flush();
    }
    await flush();
    await checkDuplicateIds(tx, file);
    const stored = await insertStaged(tx);
    return { routing: stored.routing, cache: stored.cache, duplicates: events - stored.routing - stored.cache };
  }, { retry: true });
}
