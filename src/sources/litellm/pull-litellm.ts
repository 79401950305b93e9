import type { Db, Queryable } from '../../db/db.js';
import { InputError } from '../../errors.js';
import { ingestRecords, type IngestCounts, type LineDecoder } from '../../ingest/ingest-file.js';
import { parseEvent } from '../../ingest/event-schema.js';
import { spendLogToEvent, type SpendLogRow } from './spend-log-to-event.js';

/** Where a pull read up to: LiteLLM_SpendLogs ordered by ("startTime", request_id). */
export interface SpendLogPosition {
  startTime: string;
  requestId: string;
}

export interface PullLitellmOptions {
  /** The watermark's key, e.g. `litellm:host:5432/litellm` (never with credentials). */
  sourceKey: string;
  tagPrefix?: string;
  /** Minutes before the watermark read again: LiteLLM writes spend logs in batches, so a row may commit after a later one. */
  lookbackMinutes?: number;
  pageSize?: number;
  onProgress?: (rowsRead: number) => void;
  /** Once the rows are stored, per task class: the row it first appeared on and its events. */
  onRoutingClass?: (taskType: string, firstRow: number, events: number) => void;
}

export interface PullLitellmResult extends IngestCounts {
  rowsRead: number;
  from: SpendLogPosition | null;
  to: SpendLogPosition | null;
}

const TABLE = '"LiteLLM_SpendLogs"';
/** Column -> expression; columns an older LiteLLM lacks read as null. */
const OPTIONAL: Record<string, string> = {
  call_type: 'call_type',
  spend: 'spend',
  prompt_tokens: 'prompt_tokens',
  completion_tokens: 'completion_tokens',
  model: 'model',
  model_group: 'model_group',
  custom_llm_provider: 'custom_llm_provider',
  cache_hit: 'cache_hit',
  request_tags: 'request_tags',
  messages: 'messages',
  response: 'response',
  status: 'status',
};

/**
 * Pulls new rows of LiteLLM's spend logs into routing_events through the ingest staging path (one
 * transaction; duplicates skipped by id, so rows read again are no-ops). The LiteLLM database is
 * only read, in read-only transactions (`begin read only`), one keyset page at a time. The
 * watermark moves in the transaction that stores the events. A row the event contract refuses
 * (a NUL in a message, a negative spend) fails the pull naming its request_id; nothing is stored.
 */
export async function pullLitellm(db: Db, source: Db, opts: PullLitellmOptions): Promise<PullLitellmResult> {
  const tagPrefix = opts.tagPrefix ?? 'task:';
  const pageSize = opts.pageSize ?? 1000;
  const from = await readWatermark(db, opts.sourceKey);
  const columns = await presentColumns(source);
  const start = from ? await rewind(source, from, opts.lookbackMinutes ?? 60) : null;
  let rowsRead = 0;
  let to: SpendLogPosition | null = from;
  const requestIds: string[] = [];
  async function* read() {
    rowsRead = 0;
    to = from;
    requestIds.length = 0;
    let pos = start;
    for (;;) {
      const rows = await source.transaction((tx) => readPage(tx, columns, pos, pageSize), {
        readOnly: true,
        retry: true,
      });
      for (const row of rows) {
        rowsRead++;
        requestIds.push(row.request_id);
        yield { lineNo: rowsRead, value: row };
        pos = { startTime: row.start_time, requestId: row.request_id };
        if (!to || comparePosition(pos, to) > 0) to = pos;
      }
      opts.onProgress?.(rowsRead);
      if (rows.length < pageSize) return;
    }
  }
  const decode: LineDecoder = (value) => {
    const row = value as SpendLogRow;
    const r = spendLogToEvent(row, tagPrefix);
    if (r.kind === 'skip') return { ok: true, events: [], skipped: { [r.reason]: 1 } };
    const parsed = parseEvent(r.event);
    if (!parsed.ok) return { ok: false, problem: `request_id ${JSON.stringify(row.request_id)}: ${parsed.problem}` };
    return { ok: true, events: [{ event: parsed.event, content: r.event }] };
  };
  try {
    const counts = await ingestRecords(db, TABLE, read, {
      decode,
      batchSize: pageSize,
      onRoutingClass: opts.onRoutingClass,
      beforeCommit: async (tx) => {
        if (to && (!from || comparePosition(to, from) > 0)) await writeWatermark(tx, opts.sourceKey, to);
      },
    });
    return { ...counts, rowsRead, from, to };
  } catch (err) {
    // the ingest path names "line N": here that is the Nth row read, so name its request_id too
    if (err instanceof InputError) {
      const m = /^"LiteLLM_SpendLogs":(\d+): /.exec(err.message);
      const id = m ? requestIds[Number(m[1]) - 1] : undefined;
      if (id !== undefined && !err.message.includes('request_id'))
        throw new InputError(err.message.replace(m![0], `"LiteLLM_SpendLogs" row request_id ${JSON.stringify(id)}: `), {
          cause: err,
        });
    }
    throw err;
  }
}

/** Byte order on request_id, as PostgreSQL's "C" collation the keyset query uses. */
function comparePosition(a: SpendLogPosition, b: SpendLogPosition): number {
  if (a.startTime !== b.startTime) return a.startTime < b.startTime ? -1 : 1;
  return Buffer.compare(Buffer.from(a.requestId), Buffer.from(b.requestId));
}

async function presentColumns(source: Db): Promise<Set<string>> {
  const r = await source.transaction(
    (tx) =>
      tx.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = 'LiteLLM_SpendLogs' and table_schema = any (current_schemas(false))`,
      ),
    { readOnly: true, retry: true },
  );
  const have = new Set(r.rows.map((c) => c.column_name));
  for (const required of ['request_id', 'startTime']) {
    if (!have.has(required)) {
      throw new InputError(
        have.size === 0
          ? `${source.location}: no table "LiteLLM_SpendLogs" (is this the LiteLLM proxy's database? LiteLLM creates it when the proxy starts with a DATABASE_URL)`
          : `${source.location}: "LiteLLM_SpendLogs" has no column ${required}; not a LiteLLM spend-logs table`,
      );
    }
  }
  return have;
}

/** The keyset start `lookbackMinutes` before the watermark (as the source's own timestamp text). */
async function rewind(source: Db, from: SpendLogPosition, lookbackMinutes: number): Promise<SpendLogPosition> {
  if (lookbackMinutes <= 0) return from;
  const r = await source.transaction(
    (tx) =>
      tx.query<{ t: string }>(
        `select to_char($1::timestamp - make_interval(secs => $2), 'YYYY-MM-DD"T"HH24:MI:SS.US') as t`,
        [from.startTime, lookbackMinutes * 60],
      ),
    { readOnly: true, retry: true },
  );
  return { startTime: r.rows[0]!.t, requestId: '' };
}

async function readPage(
  tx: Queryable,
  columns: Set<string>,
  after: SpendLogPosition | null,
  limit: number,
): Promise<SpendLogRow[]> {
  const select = Object.entries(OPTIONAL)
    .map(([name, expr]) => `${columns.has(name) ? expr : 'null'} as ${name}`)
    .join(', ');
  const duration = columns.has('request_duration_ms')
    ? 'coalesce(request_duration_ms::float8, extract(epoch from ("endTime" - "startTime")) * 1000)'
    : columns.has('endTime')
      ? 'extract(epoch from ("endTime" - "startTime")) * 1000'
      : 'null';
  const where = after ? `where ("startTime", request_id collate "C") > ($1::timestamp, $2 collate "C")` : '';
  const r = await tx.query<SpendLogRow>(
    `select request_id, to_char("startTime", 'YYYY-MM-DD"T"HH24:MI:SS.US') as start_time, ${duration}::float8 as duration_ms, ${select}
     from ${TABLE} ${where} order by "startTime", request_id collate "C" limit ${Number(limit)}`,
    after ? [after.startTime, after.requestId] : [],
  );
  return r.rows.map((row) => ({ ...row, spend: row.spend === null ? null : Number(row.spend) }));
}

async function readWatermark(db: Db, key: string): Promise<SpendLogPosition | null> {
  const r = await db.query<{ position: SpendLogPosition }>('select position from source_watermarks where source = $1', [
    key,
  ]);
  return r.rows[0]?.position ?? null;
}

async function writeWatermark(tx: Queryable, key: string, to: SpendLogPosition): Promise<void> {
  await tx.query(
    `insert into source_watermarks (source, position, updated_at) values ($1, $2, now())
     on conflict (source) do update set position = excluded.position, updated_at = now()
     where (excluded.position->>'startTime', excluded.position->>'requestId' collate "C")
         > (source_watermarks.position->>'startTime', source_watermarks.position->>'requestId' collate "C")`, // a slower concurrent pull never moves it back
    [key, JSON.stringify(to)],
  );
}
