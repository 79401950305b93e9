import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/db.js';
import { testDbAdapters } from '../../../test/support/test-db.js';
import { InputError } from '../../errors.js';
import { ingestFile } from '../../ingest/ingest-file.js';
import { createOtlpDecoder } from './decode-otlp-line.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/otlp/${name}`, import.meta.url));

interface Row {
  id: string;
  ts: Date;
  task_type: string;
  model: string;
  prompt: string | null;
  messages: { role: string; content: string }[] | null;
  response: string;
  input_tokens: number | null;
  output_tokens: number | null;
  latency_ms: number | null;
  metadata: Record<string, unknown>;
}

describe.each(testDbAdapters.filter((a) => a.enabled))('ingest --format otlp on $name', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => {
    await db.close();
  });
  const rows = async (like: string) =>
    (await db.query<Row>(`select * from routing_events where metadata->>'dialect' = $1 order by id`, [like])).rows;

  it('GenAI semantic conventions: 4 LLM spans stored (1 without content), 3 other spans skipped by reason; re-ingest stores nothing', async () => {
    const decode = createOtlpDecoder();
    const c = await ingestFile(db, fixture('genai.jsonl'), { decode });
    expect(c).toEqual({
      routing: 4,
      cache: 0,
      duplicates: 0,
      withoutContent: 1,
      skipped: {
        'not an LLM call (no gen_ai.* or OpenInference attributes)': 1,
        'gen_ai.operation.name embeddings': 1,
        'gen_ai.operation.name execute_tool': 1,
      },
    });
    const r = await rows('genai');
    expect(r.map((x) => [x.id, x.task_type, x.model, x.input_tokens, x.output_tokens])).toEqual([
      ['0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331', 'summarize', 'claude-3-5-haiku-20241022', 1830, 212],
      ['4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7', 'chat gpt-4', 'gpt-4', 31, 12],
      ['4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b8', 'translate', 'gemini-2.0-flash', 9, 2],
      ['5b8efff798038103d269b633813fc60c:eee19b7ec3c1b175', 'classify', 'gpt-4o-mini', 42, 7],
    ]);
    const [off, v126, structured, current] = r;
    expect(off.response).toBe('');
    expect(off.prompt).toBe('');
    expect(off.metadata).toMatchObject({ contentCaptured: false, serviceName: 'digest-worker', provider: 'anthropic' });
    expect(v126.messages).toEqual([{ role: 'user', content: 'What is 17 * 23?' }]);
    expect(v126.response).toBe('17 * 23 = 391');
    expect(structured.messages).toEqual([{ role: 'user', content: "Translate 'merci' to English." }]);
    expect(structured.response).toBe('thank you');
    expect(current.messages).toEqual([
      { role: 'system', content: 'Label the customer message with one Banking77 intent.' },
      { role: 'user', content: 'My card was charged twice for the same coffee. What should I do?' },
    ]);
    expect(current.response).toBe('transaction_charged_twice');
    expect(current.ts.toISOString()).toBe('2025-12-01T00:00:00.010Z');
    expect(current.latency_ms).toBe(640);
    expect(current.metadata).toMatchObject({
      source: 'otlp',
      dialect: 'genai',
      responseModel: 'gpt-4o-mini-2024-07-18',
      contentCaptured: true,
    });

    expect(await ingestFile(db, fixture('genai.jsonl'), { decode })).toMatchObject({
      routing: 0,
      cache: 0,
      duplicates: 4,
    });
    expect((await ingestFile(db, fixture('genai.jsonl'), { decode })).withoutContent).toBeUndefined();
    expect((await rows('genai')).length).toBe(4);
  });

  it('OpenLLMetry: flattened prompt/completion attributes, the task class from a configured attribute', async () => {
    const decode = createOtlpDecoder({ taskAttribute: 'traceloop.association.properties.task_type' });
    expect(await ingestFile(db, fixture('openllmetry.jsonl'), { decode })).toEqual({
      routing: 2,
      cache: 0,
      duplicates: 0,
      withoutContent: 1,
      skipped: { 'traceloop.span.kind workflow': 1, 'llm.request.type embedding': 1 },
    });
    const [on, off] = await rows('openllmetry');
    expect(on).toMatchObject({
      id: 'a3ce929d0e0e47364bf92f3577b34da6:1a2b3c4d5e6f7082',
      task_type: 'extract',
      model: 'gpt-3.5-turbo',
      input_tokens: 38,
      output_tokens: 9,
      messages: [
        { role: 'system', content: 'Return the invoice total as JSON.' },
        { role: 'user', content: 'Invoice 881: 3 x widgets at $4.50, shipping $2.00' },
      ],
      response: '{"total": 15.50}',
    });
    expect(off).toMatchObject({
      id: 'a3ce929d0e0e47364bf92f3577b34da6:1a2b3c4d5e6f7083',
      task_type: 'extract',
      response: '',
      input_tokens: 40,
      output_tokens: 11,
    });
    expect(off.metadata.contentCaptured).toBe(false);
  });
});

describe.each(testDbAdapters.filter((a) => a.enabled))(
  'ingest --format otlp on $name: OpenInference and bad lines',
  ({ create }) => {
    let db: Db;
    beforeAll(async () => {
      db = await create();
    });
    afterAll(async () => {
      await db.close();
    });
    const rows = async (like: string) =>
      (await db.query<Row>(`select * from routing_events where metadata->>'dialect' = $1 order by id`, [like])).rows;

    it('OpenInference: LLM spans only, messages or input.value, JSON output.value read to its answer, __REDACTED__ is no content', async () => {
      expect(await ingestFile(db, fixture('openinference.jsonl'), { decode: createOtlpDecoder() })).toEqual({
        routing: 3,
        cache: 0,
        duplicates: 0,
        withoutContent: 1,
        skipped: {
          'openinference.span.kind CHAIN': 1,
          'openinference.span.kind RETRIEVER': 1,
          'failed LLM call (span status ERROR)': 1,
        },
      });
      const [chat, completion, hidden] = await rows('openinference');
      expect(chat).toMatchObject({
        task_type: 'qa',
        model: 'gpt-4o-mini-2024-07-18',
        messages: [{ role: 'user', content: 'Which year did the Berlin Wall fall?' }],
        response: '1989',
        input_tokens: 14,
        output_tokens: 2,
      });
      expect(completion).toMatchObject({
        model: 'gpt-3.5-turbo-instruct',
        prompt: 'Q: capital of Australia?\nA:',
        messages: null,
        response: ' Canberra',
      });
      expect(hidden).toMatchObject({ prompt: '', response: '', input_tokens: 120, output_tokens: 30 });
    });

    it('a bad line fails the file naming line, span and field; nothing from it is stored', async () => {
      const before = (await db.query<{ n: number }>('select count(*)::int as n from routing_events')).rows[0].n;
      const err = await ingestFile(db, fixture('bad-trace-id.jsonl'), { decode: createOtlpDecoder() }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(
        /bad-trace-id\.jsonl:3: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.traceId: expected 32 hex digits/,
      );
      expect((await db.query<{ n: number }>('select count(*)::int as n from routing_events')).rows[0].n).toBe(before);
    });
  },
);

describe('readSpans (OTLP/JSON details)', () => {
  it('takes *UnixNano as a decimal string or a JSON number, intValue as either, and an unset AnyValue as null', async () => {
    const { readSpans } = await import('./otlp-json.js');
    const [s] = readSpans({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5B8EFFF798038103D269B633813FC60C',
                  spanId: 'eee19b7ec3c1b175',
                  name: 'x',
                  startTimeUnixNano: 1764547200000000000,
                  endTimeUnixNano: '1764547200500000000',
                  attributes: [
                    { key: 'a', value: { intValue: 7 } },
                    { key: 'b', value: { intValue: '8' } },
                    { key: 'c', value: {} },
                    { key: 'd', value: { doubleValue: 'NaN' } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    expect(s.traceId).toBe('5b8efff798038103d269b633813fc60c');
    expect(s.endNs! - s.startNs).toBe(500_000_000n);
    expect(Object.fromEntries(s.attributes)).toEqual({ a: 7, b: 8, c: null, d: NaN });
    expect(() =>
      readSpans({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '5b8efff798038103d269b633813fc60c',
                    spanId: 'eee19b7ec3c1b175',
                    startTimeUnixNano: '1',
                    attributes: [{ key: 'a', value: { intValue: 'x' } }],
                  },
                ],
              },
            ],
          },
        ],
      }),
    ).toThrow(/resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value\.intValue: expected an integer/);
    expect(() => readSpans({ resourceSpans: {} })).toThrow(/resourceSpans: expected an array/);
    expect(() => readSpans({ traces: [] })).toThrow(/resourceSpans: missing/);
  });
});
