import { access, constants } from 'node:fs/promises';
import type { Db, Queryable } from '../db/db.js';
import { InputError } from '../errors.js';
import { parseEvent, type CacheLookup, type DriftwatchEvent, type RoutingEvent } from './event-schema.js';
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
  /** Records of the input that are not events driftwatch judges (OTLP: spans that are not LLM calls), by reason. */
  skipped?: Record<string, number>;
  /** Routing events newly stored without their prompt or answer (content capture off): unjudgeable, counted, not an error. */
  withoutContent?: number;
}

export interface IngestOptions {
  batchSize?: number;
  /** Called after each staged batch with the lines read so far. */
  onProgress?: (linesRead: number) => void;
  /**
   * Called once the input is stored, once per task class of its routing events: the line it first
   * appeared on and how many events had it (the CLI warns about unlisted classes).
   */
  onRoutingClass?: (taskType: string, firstLine: number, events: number) => void;
  /** How a line's JSON becomes events (default: one driftwatch JSONL event a line). */
  decode?: LineDecoder;
}

/** One record of an input: where it is (for messages) and its JSON text, or the value itself when it is not text (a database row). */
export type InputRecord = { lineNo: number; text: string } | { lineNo: number; value: unknown };

/**
 * What one input line holds: events (with what their duplicate check compares) and records skipped, by
 * reason. Events without content carry `metadata.contentCaptured: false` (counted once stored).
 */
export type DecodedLine =
  | { ok: true; events: { event: DriftwatchEvent; content: unknown }[]; skipped?: Record<string, number> }
  | { ok: false; problem: string };

/** Turns one parsed JSON line into events; a problem is `field: message` and fails the whole input. */
export type LineDecoder = (value: unknown) => DecodedLine;

/** driftwatch's own JSONL: each line one event (routing, cache or verdict). */
export const decodeJsonlLine: LineDecoder = (value) => {
  const parsed = parseEvent(value);
  return parsed.ok ? { ok: true, events: [{ event: parsed.event, content: value }] } : parsed;
};

/**
 * Streams a JSONL file of routing events and cache lookups into the database in one
 * transaction: a bad line (invalid UTF-8 or JSON, a field the schema or the database refuses, an id
 * repeated with different content) throws InputError naming file, line and field, and nothing from
 * the file is stored. Ids already stored are skipped, so re-ingesting is a no-op; for the same reason
 * a transaction cut by a lost connection is run again from the start.
 */
export async function ingestFile(db: Db, file: string, options: IngestOptions = {}): Promise<IngestCounts> {
  await access(file, constants.R_OK).catch((err: Error) => {
    throw new InputError(`cannot read ${file}: ${err.message}`, { cause: err });
  });
  return ingestRecords(db, file, () => readLines(file), options);
}

/**
 * The staging path every source shares (files, OTLP traces, rows pulled from another database):
 * `read` yields the input's records (called again when a lost connection retries the transaction),
 * `label` names the input in messages (`label:line: field: ...`). `beforeCommit` runs last inside the
 * same transaction (a pull stores its watermark there, so it moves exactly when the events commit).
 */
export async function ingestRecords(
  db: Db,
  label: string,
  read: () => AsyncIterable<InputRecord>,
  options: IngestOptions & { beforeCommit?: (tx: Queryable) => Promise<void> } = {},
): Promise<IngestCounts> {
  const batchSize = options.batchSize ?? 2000;
  const decode = options.decode ?? decodeJsonlLine;
  const file = label;
  // Routing classes are reported once the file is stored: a retried transaction reads the file again.
  // One entry per class, not per event: a file of millions of events holds a few of these.
  let classes = new Map<string, { line: number; events: number }>();
  const counts = await db.transaction(
    async (tx) => {
      classes = new Map();
      await createStage(tx);
      let routing: StagedEvent<RoutingEvent>[] = [];
      let cache: StagedEvent<CacheLookup>[] = [];
      let events = 0;
      const skipped: Record<string, number> = {};
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
      for await (const line of read()) {
        lineNo = line.lineNo;
        let value: unknown;
        if ('value' in line) value = line.value;
        else {
          if (line.text.trim() === '') continue;
          try {
            value = JSON.parse(line.text);
          } catch (err) {
            throw new InputError(
              `${file}:${lineNo}: invalid JSON: ${(err as Error).message}; nothing from this file was stored`,
            );
          }
        }
        const decoded = decode(value);
        if (!decoded.ok)
          throw new InputError(`${file}:${lineNo}: ${decoded.problem}; nothing from this file was stored`);
        for (const [reason, n] of Object.entries(decoded.skipped ?? {})) skipped[reason] = (skipped[reason] ?? 0) + n;
        for (const { event } of decoded.events) {
          events++;
          const staged = { line: lineNo };
          if (event.kind === 'routing') {
            routing.push({ ...staged, event });
            const seen = classes.get(event.taskType);
            if (seen) seen.events++;
            else classes.set(event.taskType, { line: lineNo, events: 1 });
          } else if (event.kind === 'verdict') verdicts.push({ line: lineNo, event });
          else cache.push({ ...staged, event });
        }
        if (routing.length + cache.length >= batchSize) await flush();
      }
      await flush();
      await checkDuplicateIds(tx, file);
      const stored = await insertStaged(tx);
      const counts: IngestCounts = {
        routing: stored.routing,
        cache: stored.cache,
        duplicates: events - verdicts.length - stored.routing - stored.cache,
      };
      if (verdicts.length > 0) {
        const v = await storeVerdicts(tx, file, verdicts);
        counts.verdicts = v.stored;
        counts.duplicates += v.duplicates;
      }
      if (Object.keys(skipped).length > 0) counts.skipped = skipped;
      if (stored.withoutContent > 0) counts.withoutContent = stored.withoutContent;
      await options.beforeCommit?.(tx);
      return counts;
    },
    { retry: true },
  );
  for (const [taskType, c] of classes) options.onRoutingClass?.(taskType, c.line, c.events);
  return counts;
}
