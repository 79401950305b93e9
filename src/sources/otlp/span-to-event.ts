import type { AttrValue, OtlpSpan } from './otlp-json.js';

/**
 * How an LLM span is recognised and read, per dialect:
 * - `genai`: OpenTelemetry GenAI semantic conventions (v1.37: gen_ai.operation.name, gen_ai.request.model,
 *   gen_ai.usage.input_tokens/output_tokens, gen_ai.input.messages / gen_ai.output.messages /
 *   gen_ai.system_instructions; and the older span events gen_ai.content.prompt / gen_ai.content.completion
 *   (v1.26-1.27, attributes gen_ai.prompt / gen_ai.completion) and gen_ai.{system,user,assistant,tool}.message /
 *   gen_ai.choice (v1.28-1.36, their body fields as attributes)).
 * - `openllmetry`: Traceloop's OpenLLMetry (llm.request.type, gen_ai.prompt.{i}.role/content,
 *   gen_ai.completion.{i}.content, gen_ai.usage.prompt_tokens/completion_tokens).
 * - `openinference`: Arize OpenInference (openinference.span.kind = LLM, llm.model_name, input.value /
 *   output.value, llm.input_messages.{i}.message.*, llm.output_messages.{i}.message.*, llm.token_count.*).
 */
export type OtlpDialect = 'genai' | 'openllmetry' | 'openinference';

/** A span read as a routing event (not yet validated), or why it is not one. */
export type SpanOutcome =
  | { kind: 'llm'; dialect: OtlpDialect; event: Record<string, unknown>; withoutContent: boolean }
  | { kind: 'skip'; reason: string };

interface Message {
  role: string;
  content: string;
}

const LLM_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion']);
/** OpenInference's placeholder for a hidden input or output (OPENINFERENCE_HIDE_INPUTS / _OUTPUTS). */
const REDACTED = '__REDACTED__';

const str = (v: AttrValue | undefined): string | undefined =>
  typeof v === 'string' && v !== '' && v !== REDACTED ? v : undefined;

/** A token count attribute: an integer, or a decimal string some SDKs write; anything else is passed on for the schema to refuse. */
function count(v: AttrValue | undefined): unknown {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
}

/** Reads one span; `taskAttribute` names the attribute holding the task class (span, then resource), else the span name. */
export function spanToEvent(span: OtlpSpan, taskAttribute: string): SpanOutcome {
  const a = span.attributes;
  const dialect = dialectOf(span);
  if (!dialect) return { kind: 'skip', reason: 'not an LLM call (no gen_ai.* or OpenInference attributes)' };
  if (dialect === 'openinference') {
    const kind = String(a.get('openinference.span.kind')).toUpperCase();
    if (kind !== 'LLM') return { kind: 'skip', reason: `openinference.span.kind ${kind}` };
  } else {
    const traceloopKind = str(a.get('traceloop.span.kind'));
    if (traceloopKind !== undefined) return { kind: 'skip', reason: `traceloop.span.kind ${traceloopKind}` };
    if (
      !a.has('gen_ai.request.model') &&
      !a.has('gen_ai.response.model') &&
      !a.has('gen_ai.operation.name') &&
      !a.has('llm.request.type') &&
      !span.events.some((e) => e.name.startsWith('gen_ai.'))
    ) {
      return { kind: 'skip', reason: 'not an LLM call (no gen_ai.* or OpenInference attributes)' };
    }
    const op = str(a.get('gen_ai.operation.name')) ?? str(a.get('llm.request.type'));
    if (op !== undefined && !LLM_OPERATIONS.has(op))
      return {
        kind: 'skip',
        reason: `${a.has('gen_ai.operation.name') ? 'gen_ai.operation.name' : 'llm.request.type'} ${op}`,
      };
  }
  if (span.error) return { kind: 'skip', reason: 'failed LLM call (span status ERROR)' };
  const read = dialect === 'openinference' ? readOpenInference(span) : readGenAi(span, dialect);
  const taskType = str(a.get(taskAttribute)) ?? str(span.resource.get(taskAttribute)) ?? (span.name || 'unknown');
  const input = read.messages.length > 0 ? read.messages : undefined;
  const withoutContent = read.response === undefined || (input === undefined && read.prompt === undefined);
  const event: Record<string, unknown> = {
    kind: 'routing',
    id: `${span.traceId}:${span.spanId}`,
    ts: new Date(Number(span.startNs / 1_000_000n)).toISOString(),
    taskType,
    model: read.model ?? 'unknown',
    ...(input ? { messages: input } : { prompt: read.prompt ?? '' }),
    response: read.response ?? '',
    ...(read.inputTokens !== undefined ? { inputTokens: read.inputTokens } : {}),
    ...(read.outputTokens !== undefined ? { outputTokens: read.outputTokens } : {}),
    ...(span.endNs !== null && span.endNs >= span.startNs
      ? { latencyMs: Number(span.endNs - span.startNs) / 1e6 }
      : {}),
    ...(read.hasToolCalls ? { hasToolCalls: true } : {}),
    metadata: {
      source: 'otlp',
      dialect,
      spanName: span.name,
      ...(str(span.resource.get('service.name')) ? { serviceName: str(span.resource.get('service.name')) } : {}),
      ...(read.responseModel && read.responseModel !== read.model ? { responseModel: read.responseModel } : {}),
      ...(read.provider ? { provider: read.provider } : {}),
      contentCaptured: !withoutContent,
    },
  };
  return { kind: 'llm', dialect, event, withoutContent };
}

function dialectOf(span: OtlpSpan): OtlpDialect | null {
  const keys = [...span.attributes.keys()];
  if (span.attributes.has('openinference.span.kind')) return 'openinference';
  if (
    span.attributes.has('llm.request.type') ||
    keys.some((k) => /^gen_ai\.(prompt|completion)\.\d+\./.test(k) || k.startsWith('traceloop.'))
  )
    return 'openllmetry';
  if (keys.some((k) => k.startsWith('gen_ai.')) || span.events.some((e) => e.name.startsWith('gen_ai.')))
    return 'genai';
  return null;
}

interface Read {
  model?: string;
  responseModel?: string;
  provider?: string;
  messages: Message[];
  prompt?: string;
  response?: string;
  inputTokens?: unknown;
  outputTokens?: unknown;
  hasToolCalls?: boolean;
}

function readGenAi(span: OtlpSpan, dialect: OtlpDialect): Read {
  const a = span.attributes;
  const out: Read = {
    model: str(a.get('gen_ai.request.model')) ?? str(a.get('gen_ai.response.model')),
    responseModel: str(a.get('gen_ai.response.model')),
    provider: str(a.get('gen_ai.provider.name')) ?? str(a.get('gen_ai.system')),
    messages: [],
    inputTokens: count(a.get('gen_ai.usage.input_tokens') ?? a.get('gen_ai.usage.prompt_tokens')),
    outputTokens: count(a.get('gen_ai.usage.output_tokens') ?? a.get('gen_ai.usage.completion_tokens')),
  };
  if (dialect === 'openllmetry') {
    out.messages = indexed(a, 'gen_ai.prompt');
    out.response = indexed(a, 'gen_ai.completion')[0]?.content || undefined;
    out.hasToolCalls = [...a.keys()].some((k) => /^gen_ai\.completion\.\d+\.tool_calls\./.test(k)) || undefined;
    return out;
  }
  // current conventions: structured (or JSON-string) attributes
  const system = partsMessages(a.get('gen_ai.system_instructions'), 'system');
  const input = partsMessages(a.get('gen_ai.input.messages'));
  const output = partsMessages(a.get('gen_ai.output.messages'));
  out.messages = [...system, ...input];
  out.response = output[0]?.content || undefined;
  out.hasToolCalls = toolCalls(a.get('gen_ai.output.messages')) || undefined;
  // older conventions: span events
  for (const e of span.events) {
    if (e.name === 'gen_ai.content.prompt' && out.messages.length === 0)
      out.messages = partsMessages(e.attributes.get('gen_ai.prompt'));
    else if (e.name === 'gen_ai.content.completion' && out.response === undefined)
      out.response = partsMessages(e.attributes.get('gen_ai.completion'))[0]?.content || undefined;
    else if (/^gen_ai\.(system|user|assistant|tool)\.message$/.test(e.name) && input.length === 0) {
      const content = textOf(e.attributes.get('content'));
      if (content) out.messages.push({ role: str(e.attributes.get('role')) ?? e.name.split('.')[1], content });
    } else if (e.name === 'gen_ai.choice' && out.response === undefined) {
      const message = e.attributes.get('message');
      out.response = textOf(isRecord(message) ? message.content : e.attributes.get('content')) || undefined;
    }
  }
  return out;
}

function readOpenInference(span: OtlpSpan): Read {
  const a = span.attributes;
  const out: Read = {
    model: str(a.get('llm.model_name')),
    provider: str(a.get('llm.provider')) ?? str(a.get('llm.system')),
    messages: indexed(a, 'llm.input_messages', '.message'),
    inputTokens: count(a.get('llm.token_count.prompt')),
    outputTokens: count(a.get('llm.token_count.completion')),
  };
  const outputs = indexed(a, 'llm.output_messages', '.message');
  out.hasToolCalls =
    [...a.keys()].some((k) => /^llm\.output_messages\.\d+\.message\.tool_calls\./.test(k)) || undefined;
  out.response = outputs[0]?.content || fromValue(a, 'output') || undefined;
  if (out.messages.length === 0) {
    const input = str(a.get('input.value'));
    const parsed = isJson(a, 'input') ? parseJson(input) : undefined;
    const messages =
      isRecord(parsed) && Array.isArray(parsed.messages) ? partsMessages(parsed.messages as AttrValue) : [];
    if (messages.length > 0) out.messages = messages;
    else out.prompt = input;
  }
  return out;
}

/** output.value: text, or (mime application/json) an OpenAI-style response whose first choice is the answer. */
function fromValue(a: Map<string, AttrValue>, side: 'output'): string | undefined {
  const v = str(a.get(`${side}.value`));
  if (v === undefined || !isJson(a, side)) return v;
  const parsed = parseJson(v);
  const choice = isRecord(parsed) && Array.isArray(parsed.choices) ? parsed.choices[0] : undefined;
  if (isRecord(choice)) return textOf(isRecord(choice.message) ? choice.message.content : choice.text) || undefined;
  return v;
}

const isJson = (a: Map<string, AttrValue>, side: string) => str(a.get(`${side}.mime_type`)) === 'application/json';

/** Flattened messages `prefix.{i}[infix].role` / `.content`, in index order. */
function indexed(a: Map<string, AttrValue>, prefix: string, infix = ''): Message[] {
  const byIndex = new Map<number, Partial<Message>>();
  const re = new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.(\\d+)${infix.replace(/\./g, '\\.')}\\.(role|content)$`);
  for (const [k, v] of a) {
    const m = re.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    const entry = byIndex.get(i) ?? {};
    const text = str(v);
    if (text !== undefined) entry[m[2] as 'role' | 'content'] = text;
    byIndex.set(i, entry);
  }
  return [...byIndex]
    .sort(([x], [y]) => x - y)
    .filter(([, m]) => m.content !== undefined)
    .map(([, m]) => ({ role: m.role ?? 'user', content: m.content! }));
}

/** gen_ai.*.messages (a structured value or its JSON string): each message's text parts joined; `role` for bare part lists (system instructions). */
function partsMessages(value: AttrValue | undefined, role?: string): Message[] {
  const v = typeof value === 'string' ? parseJson(value) : value;
  if (!Array.isArray(v)) return [];
  if (role) {
    const content = v.map(partText).filter(Boolean).join('\n');
    return content ? [{ role, content }] : [];
  }
  const out: Message[] = [];
  for (const m of v) {
    if (!isRecord(m)) continue;
    const content = Array.isArray(m.parts) ? m.parts.map(partText).filter(Boolean).join('\n') : textOf(m.content);
    if (content) out.push({ role: typeof m.role === 'string' ? m.role : 'user', content });
  }
  return out;
}

function partText(p: unknown): string {
  if (!isRecord(p)) return typeof p === 'string' ? p : '';
  return p.type === 'text' || p.type === undefined ? textOf(p.content ?? p.text) : '';
}

function toolCalls(value: AttrValue | undefined): boolean {
  const v = typeof value === 'string' ? parseJson(value) : value;
  return (
    Array.isArray(v) &&
    v.some((m) => isRecord(m) && Array.isArray(m.parts) && m.parts.some((p) => isRecord(p) && p.type === 'tool_call'))
  );
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return v === REDACTED ? '' : v;
  if (Array.isArray(v)) return v.map(partText).filter(Boolean).join('\n');
  return '';
}

function parseJson(s: string | undefined): unknown {
  if (s === undefined) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
