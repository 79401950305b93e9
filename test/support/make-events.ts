import { writeFileSync } from 'node:fs';
import type { CacheLookup, RoutingEvent } from '../../src/ingest/event-schema.js';

/** A valid routing event; override any field. */
export function makeRoutingEvent(overrides: Partial<RoutingEvent> = {}): RoutingEvent {
  return {
    kind: 'routing',
    id: 'evt-1',
    ts: '2026-11-25T10:00:00Z',
    taskType: 'classify',
    model: 'gpt-4o-mini',
    inputTokens: 120,
    outputTokens: 4,
    prompt: 'Classify: where is my card?',
    response: 'card_arrival',
    reference: 'card_arrival',
    ...overrides,
  };
}

/** A valid cache lookup; override any field. */
export function makeCacheLookup(overrides: Partial<CacheLookup> = {}): CacheLookup {
  return {
    kind: 'cache',
    id: 'lk-1',
    ts: '2026-11-25T10:00:01Z',
    taskType: 'support',
    query: 'How do I get a refund?',
    hit: true,
    similarity: 0.93,
    matchedQuery: "What's the refund policy?",
    result: 'refund answer',
    reference: 'refund answer',
    ...overrides,
  };
}

/** Writes objects (or raw strings) as JSONL. */
export function writeJsonl(file: string, lines: unknown[]): void {
  writeFileSync(file, `${lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n')}\n`);
}
