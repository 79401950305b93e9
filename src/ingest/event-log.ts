import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import type { Queryable } from '../db/db.js';
import { InputError } from '../errors.js';
import { cacheLookupSchema, routingEventSchema, type CacheLookup, type RoutingEvent } from './event-schema.js';
import { storeCacheLookups, storeRoutingEvents } from './store-events.js';

/** Where an application's events go: a JSONL file for `driftwatch ingest`, or the database directly. */
export type EventTarget = { file: string } | { db: Queryable };

type Loose<T> = Omit<T, 'kind' | 'id' | 'ts'> & { id?: string; ts?: string | Date };

/**
 * Records one routed LLM call in the contract's format. `id` defaults to a UUID and `ts`
 * to now. Invalid events throw InputError before anything is written.
 */
export async function logRoutingEvent(target: EventTarget, event: Loose<RoutingEvent>): Promise<RoutingEvent> {
  const e = validate(routingEventSchema, {
    ...event,
    kind: 'routing',
    id: event.id ?? randomUUID(),
    ts: toIso(event.ts),
  }) as RoutingEvent;
  if ('file' in target) appendFileSync(target.file, `${JSON.stringify(e)}\n`);
  else await storeRoutingEvents(target.db, [e]);
  return e;
}

/** Records one semantic-cache lookup (hit or miss, with its best similarity). */
export async function logCacheLookup(target: EventTarget, lookup: Loose<CacheLookup>): Promise<CacheLookup> {
  const e = validate(cacheLookupSchema, {
    ...lookup,
    kind: 'cache',
    id: lookup.id ?? randomUUID(),
    ts: toIso(lookup.ts),
  }) as CacheLookup;
  if ('file' in target) appendFileSync(target.file, `${JSON.stringify(e)}\n`);
  else await storeCacheLookups(target.db, [e]);
  return e;
}

function toIso(ts: string | Date | undefined): string {
  if (ts === undefined) return new Date().toISOString();
  return ts instanceof Date ? ts.toISOString() : ts;
}

function validate(schema: typeof routingEventSchema | typeof cacheLookupSchema, value: unknown): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  throw new InputError(`invalid event: ${issue.path.join('.') || '(object)'}: ${issue.message}`);
}
