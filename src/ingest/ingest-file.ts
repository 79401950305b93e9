import { access, constants } from 'node:fs/promises';
import type { Db } from '../db/db.js';
import { InputError } from '../errors.js';
import { parseEvent, type CacheLookup, type RoutingEvent } from './event-schema.js';
import { readLines } from './read-lines.js';
import { checkDuplicateIds, createStage, insertStaged, stageEvents, type StagedEvent } from './stage-events.js';
import { storeVerdicts, type VerdictLine } from './store-verdicts.js';

export interface IngestCounts {
  /** Newly stored routing events. */
  routing: number;
  /** Newly stored cache lookups. */
  cache: number;
  /** Lines whose id was already stored (or repeated within the input with the same content). */
  duplicates: number;
  /** Newly stored external verdicts (present when the file held `verdict` lines). */
  verdicts?: number;
}

export interface IngestOptions {
  batchSize?: number;
  /** Called after each staged batch with the lines read so far. */
  onProgress?: (linesRead: number) => void;
  /** Called for each valid routing event line with its task class (the CLI warns about unlisted classes). */
  onRoutingEvent?: (taskType: string, line: number) => void;
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
  // Routing classes are reported once the file is stored: a retried transaction reads the file again.
  let classes: [string, number][] = [];
  const counts = await db.transaction(async (tx) => {
    classes = [];
    await createStage(tx);
    let routing: StagedEvent<RoutingEvent>[] = [];
    let cache: StagedEvent<CacheLookup>[] = [];
    let events = 0;
    // verdicts are stored after every event of the file, so one may follow its event in the same file
    const verdicts: VerdictLine[] = [];
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
      if (parsed.event.kind === 'routing') {
        routing.push({ ...staged, event: parsed.event });
        if (options.onRoutingEvent) classes.push([parsed.event.taskType, lineNo]);
      }
      else if (parsed.event.kind === 'verdict') verdicts.push({ line: lineNo, event: parsed.event });
      else cache.push({ ...staged, event: parsed.event });
      if (routing.length + cache.length >= batchSize) await flush();
    }
    await flush();
    await checkDuplicateIds(tx, file);
    const stored = await insertStaged(tx);
    const counts: IngestCounts = { routing: stored.routing, cache: stored.cache, duplicates: events - verdicts.length - stored.routing - stored.cache };
    if (verdicts.length > 0) {
      const v = await storeVerdicts(tx, file, verdicts);
      counts.verdicts = v.stored;
      counts.duplicates += v.duplicates;
    }
    return counts;
  }, { retry: true });
  for (const [taskType, line] of classes) options.onRoutingEvent?.(taskType, line);
  return counts;
}
