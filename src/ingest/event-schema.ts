import { z } from 'zod';

const isoTimestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), { message: 'expected an ISO 8601 timestamp' });
const message = z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) }).passthrough();

/** A routed LLM call as the contract defines it. */
export const routingEventSchema = z
  .object({
    kind: z.literal('routing'),
    id: z.string().min(1),
    ts: isoTimestamp,
    taskType: z.string().min(1),
    model: z.string().min(1),
    prompt: z.string().optional(),
    messages: z.array(message).optional(),
    response: z.string(),
    inputTokens: z.number().int().nonnegative().optional(),
    outputTokens: z.number().int().nonnegative().optional(),
    costUsd: z.number().nonnegative().optional(),
    latencyMs: z.number().nonnegative().optional(),
    hasToolCalls: z.boolean().optional(),
    reference: z.string().optional(),
    /** The premium model's answer to the same request: classes without a reference are judged pairwise against it. */
    premiumResponse: z.string().optional(),
    premiumModel: z.string().min(1).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()
  .refine((e) => e.prompt !== undefined || e.messages !== undefined, { message: 'one of prompt or messages is required', path: ['prompt'] });

/** A semantic-cache lookup (hit or miss) as the contract defines it. */
export const cacheLookupSchema = z
  .object({
    kind: z.literal('cache'),
    id: z.string().min(1),
    ts: isoTimestamp,
    taskType: z.string().min(1).optional(),
    query: z.string(),
    hit: z.boolean(),
    similarity: z.number().min(0).max(1),
    matchedQuery: z.string().optional(),
    result: z.string().optional(),
    reference: z.string().optional(),
    threshold: z.number().min(0).max(1).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

/** A verdict made elsewhere (human review, another evaluator) on a stored routing event or cache hit. */
export const verdictEventSchema = z
  .object({
    kind: z.literal('verdict'),
    eventId: z.string().min(1),
    verdict: z.enum(['pass', 'fail']),
    /** Who judged: a stable name, e.g. "human-review" or "ragas"; its fp/fn come from judge.sources. */
    source: z.string().min(1).max(100),
    reason: z.string().optional(),
    /** Which event the id names when a routing event and a cache lookup share it. */
    eventKind: z.enum(['routing', 'cache']).optional(),
    ts: isoTimestamp.optional(),
  })
  .passthrough();

export type RoutingEvent = z.infer<typeof routingEventSchema>;
export type CacheLookup = z.infer<typeof cacheLookupSchema>;
export type VerdictEvent = z.infer<typeof verdictEventSchema>;
export type DriftwatchEvent = RoutingEvent | CacheLookup | VerdictEvent;

/** Validates one parsed JSON value; returns the event or the first problem as `field: message`. */
export function parseEvent(value: unknown): { ok: true; event: DriftwatchEvent } | { ok: false; problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, problem: '(line): expected a JSON object' };
  const kind = (value as { kind?: unknown }).kind;
  const schema = kind === 'routing' ? routingEventSchema : kind === 'cache' ? cacheLookupSchema : kind === 'verdict' ? verdictEventSchema : undefined;
  if (!schema) return { ok: false, problem: `kind: expected "routing", "cache" or "verdict", got ${JSON.stringify(kind)}` };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, event: r.data as DriftwatchEvent };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${issue.path.length ? issue.path.join('.') : '(object)'}: ${issue.message}` };
}
