import { z } from 'zod';

/** A calendar date with an optional time and offset, as PostgreSQL's timestamptz reads it (not Date.parse's loose formats). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;
const isoTimestamp = z.string().refine((s) => ISO_8601.test(s) && !Number.isNaN(Date.parse(s)) && isCalendarDate(s), {
  message: 'expected an ISO 8601 timestamp',
});

/** Date.parse takes 2026-02-30 for 2 March and year 0; PostgreSQL refuses both. */
function isCalendarDate(s: string): boolean {
  const [y, m, d] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return y >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
/** Ids and class names are keys of btree indexes, whose entries PostgreSQL caps near 2,700 bytes. */
export const MAX_ID_LENGTH = 512;
export const MAX_TASK_TYPE_LENGTH = 256;
const eventId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH, { message: `at most ${MAX_ID_LENGTH} characters` });
const taskType = z
  .string()
  .min(1)
  .max(MAX_TASK_TYPE_LENGTH, { message: `at most ${MAX_TASK_TYPE_LENGTH} characters` });
/** Token counts are stored as PostgreSQL integer (int4). */
const tokenCount = z
  .number()
  .int()
  .nonnegative()
  .max(2_147_483_647, { message: 'at most 2147483647 (a 32-bit integer)' });
const message = z.object({ role: z.string(), content: z.union([z.string(), z.array(z.unknown())]) }).passthrough();

/**
 * Every string of an event, keys and nested metadata included, must be text PostgreSQL can store:
 * no NUL (text and jsonb refuse \u0000) and well-formed UTF-16 (a lone surrogate has no UTF-8 form).
 */
function storableText(value: unknown, ctx: z.RefinementCtx): void {
  if (!hasSuspectText(value)) return; // the common case, without building paths
  const problem = findUnstorableText(value, []);
  if (problem) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
}

/** A cheap first pass: most strings have neither a NUL nor any surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finds the NUL that PostgreSQL cannot store in untrusted event text
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasSuspectText(value: unknown): boolean {
  if (typeof value === 'string') return SUSPECT.test(value);
  if (Array.isArray(value)) return value.some(hasSuspectText);
  if (value && typeof value === 'object') {
    for (const k in value) if (SUSPECT.test(k) || hasSuspectText((value as Record<string, unknown>)[k])) return true;
  }
  return false;
}

function findUnstorableText(
  value: unknown,
  path: (string | number)[],
): { path: (string | number)[]; message: string } | undefined {
  const check = (s: string, at: (string | number)[]) =>
    s.includes('\u0000')
      ? { path: at, message: 'contains a NUL character (\\u0000), which PostgreSQL cannot store' }
      : LONE_SURROGATE.test(s)
        ? { path: at, message: 'contains a lone UTF-16 surrogate (not valid Unicode)' }
        : undefined;
  if (typeof value === 'string') return check(value, path);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = findUnstorableText(value[i], [...path, i]);
      if (p) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = check(k, [...path, k]) ?? findUnstorableText(v, [...path, k]);
      if (p) return p;
    }
  }
  return undefined;
}

/** A routed LLM call as the contract defines it. */
export const routingEventSchema = z
  .object({
    kind: z.literal('routing'),
    id: eventId,
    ts: isoTimestamp,
    taskType,
    model: z.string().min(1),
    prompt: z.string().optional(),
    messages: z.array(message).optional(),
    response: z.string(),
    inputTokens: tokenCount.optional(),
    outputTokens: tokenCount.optional(),
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
  .refine((e) => e.prompt !== undefined || e.messages !== undefined, {
    message: 'one of prompt or messages is required',
    path: ['prompt'],
  })
  .superRefine(storableText);

/** A semantic-cache lookup (hit or miss) as the contract defines it. */
export const cacheLookupSchema = z
  .object({
    kind: z.literal('cache'),
    id: eventId,
    ts: isoTimestamp,
    taskType: taskType.optional(),
    query: z.string(),
    hit: z.boolean(),
    similarity: z.number().min(0).max(1),
    matchedQuery: z.string().optional(),
    result: z.string().optional(),
    reference: z.string().optional(),
    threshold: z.number().min(0).max(1).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough()
  .superRefine(storableText);

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
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: '(line): expected a JSON object' };
  const kind = (value as { kind?: unknown }).kind;
  const schema =
    kind === 'routing'
      ? routingEventSchema
      : kind === 'cache'
        ? cacheLookupSchema
        : kind === 'verdict'
          ? verdictEventSchema
          : undefined;
  if (!schema)
    return { ok: false, problem: `kind: expected "routing", "cache" or "verdict", got ${JSON.stringify(kind)}` };
  const r = schema.safeParse(value);
  if (r.success) return { ok: true, event: r.data as DriftwatchEvent };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${issue.path.length ? issue.path.join('.') : '(object)'}: ${issue.message}` };
}
