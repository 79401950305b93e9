import type { Queryable } from '../db/db.js';
import { WRITER_FENCE } from '../db/queries/event-fence.js';
import { InputError } from '../errors.js';
import type { CacheLookup, RoutingEvent } from './event-schema.js';
import { CACHE_COLUMNS, cacheRow, columnNames, INSERT_ORDER, ROUTING_COLUMNS, routingRow } from './store-events.js';

/** An event with the file line it came from. */
export interface StagedEvent<T> {
  line: number;
  event: T;
}

const TABLES = {
  routing: {
    stage: 'dw_ingest_routing',
    target: 'routing_events',
    columns: ROUTING_COLUMNS,
    row: routingRow as (e: unknown) => Record<string, unknown>,
  },
  cache: {
    stage: 'dw_ingest_cache',
    target: 'cache_lookups',
    columns: CACHE_COLUMNS,
    row: cacheRow as (e: unknown) => Record<string, unknown>,
  },
} as const;
type Kind = keyof typeof TABLES;

/**
 * A file's events are staged in temporary tables (typed like the event tables, so a value the
 * database refuses is found at its line), checked for duplicate ids, then inserted in one statement
 * per table in id order. Writers that all insert in the same order never deadlock on each other.
 */
export async function createStage(tx: Queryable): Promise<void> {
  for (const t of Object.values(TABLES)) {
    await tx.exec(`create temp table ${t.stage} (line integer not null, ${t.columns}) on commit drop`);
  }
}

/** Adds a batch of one kind to the stage; a value the database refuses throws InputError naming the line. */
export async function stageEvents(
  tx: Queryable,
  kind: Kind,
  file: string,
  events: StagedEvent<RoutingEvent | CacheLookup>[],
): Promise<void> {
  if (events.length === 0) return;
  const t = TABLES[kind];
  const insert = (batch: typeof events) =>
    tx.query(`insert into ${t.stage} select * from jsonb_to_recordset($1::jsonb) as x(line integer, ${t.columns})`, [
      JSON.stringify(batch.map((e) => ({ line: e.line, ...t.row(e.event) }))),
    ]);
  await tx.exec('savepoint dw_stage');
  try {
    await insert(events);
    await tx.exec('release savepoint dw_stage');
    return;
  } catch (err) {
    if (!isDataRefusal(err)) throw err;
    await tx.exec('rollback to savepoint dw_stage');
  }
  // find the line: one row at a time under the savepoint
  for (const e of events) {
    try {
      await insert([e]);
    } catch (err) {
      if (!isDataRefusal(err)) throw err;
      await tx.exec('rollback to savepoint dw_stage');
      const field = await refusedField(tx, t.columns, t.row(e.event));
      throw new InputError(
        `${file}:${e.line}: ${field ? `${field}: ` : ''}the database refused the value: ${refusal(err)}; nothing from this file was stored`,
        { cause: err },
      );
    }
  }
  await tx.exec('release savepoint dw_stage');
}

/** Throws InputError when one id appears on two lines with different content (the same content twice is fine). */
export async function checkDuplicateIds(tx: Queryable, file: string): Promise<void> {
  for (const [kind, t] of Object.entries(TABLES)) {
    // content = the row as it would be stored (jsonb compares without regard to key order); a hash
    // aggregate finds repeated ids, and only those are compared line by line
    const cols = columnNames(t.columns)
      .split(', ')
      .filter((c) => c !== 'id');
    const row = (alias: string) => `(${cols.map((c) => `${alias}.${c}`).join(', ')})`;
    const r = await tx.query<{ id: string; first: number; second: number }>(
      `with d as (select id from ${t.stage} group by id having count(*) > 1),
            f as (select distinct on (s.id) s.* from ${t.stage} s join d using (id) order by s.id, s.line)
       select f.id, f.line as first, min(s.line) as second from ${t.stage} s join f on f.id = s.id and ${row('s')} is distinct from ${row('f')}
       group by f.id, f.line order by min(s.line) limit 1`,
    );
    const d = r.rows[0];
    if (d)
      throw new InputError(
        `${file}:${d.second}: id: ${JSON.stringify(d.id)} was already used on line ${d.first} by a ${kind} event with different content; nothing from this file was stored`,
      );
  }
}

/**
 * Inserts the staged events, skipping ids already stored; returns how many were new per kind, and
 * how many new routing events a source marked `contentCaptured: false`. An id on several lines has
 * the same content on each by now (checkDuplicateIds), and DO NOTHING skips the repeats within the
 * statement too.
 */
export async function insertStaged(tx: Queryable): Promise<Record<Kind, number> & { withoutContent: number }> {
  const out = { routing: 0, cache: 0, withoutContent: 0 };
  for (const kind of ['routing', 'cache'] as const) {
    const t = TABLES[kind];
    const cols = columnNames(t.columns);
    const r = await tx.query<{ n: number; bare: number }>(
      `with ins as (insert into ${t.target} (${cols})
         select ${cols} from ${t.stage}, ${WRITER_FENCE}
         ${INSERT_ORDER} on conflict (id) do nothing returning metadata)
       select count(*)::int as n, count(*) filter (where metadata->>'contentCaptured' = 'false')::int as bare from ins`,
    );
    out[kind] = r.rows[0]!.n;
    if (kind === 'routing') out.withoutContent = r.rows[0]!.bare;
  }
  return out;
}

/** The event field (camelCase) whose value the database refuses on its own, if one does. */
async function refusedField(tx: Queryable, columns: string, row: Record<string, unknown>): Promise<string | undefined> {
  for (const [name, type] of columns.split(',').map((c) => c.trim().split(/\s+/, 2) as [string, string])) {
    if (row[name] === null || row[name] === undefined) continue;
    await tx.exec('savepoint dw_field');
    const refused = await tx
      .query(`select ($1::jsonb -> 'v' ->> 0)::${type}`, [
        JSON.stringify({ v: [type === 'jsonb' ? JSON.stringify(row[name]) : row[name]] }),
      ])
      .then(
        () => false,
        (err) => isDataRefusal(err),
      );
    await tx.exec('rollback to savepoint dw_field');
    if (refused) return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  }
  return undefined;
}

/** SQLSTATE class 22 (data exception) or 54 (program limit, e.g. an index row too large): the input's fault. */
function isDataRefusal(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return /^pg_(22|54)/.test(code);
}

function refusal(err: unknown): string {
  return ((err as Error).message ?? '').replace(/ \(in: [\s\S]*$/, '');
}
