import { z } from 'zod';
import type { QaItem } from './qa-item.js';

const squadSchema = z.object({
  data: z.array(
    z.object({
      title: z.string(),
      paragraphs: z.array(
        z.object({
          context: z.string(),
          qas: z.array(
            z.object({ id: z.string(), question: z.string(), answers: z.array(z.object({ text: z.string() })).min(1) }),
          ),
        }),
      ),
    }),
  ),
});

/** SQuAD v1.1 JSON (XQuAD-en) -> QA items: one per question, answers deduplicated. */
export function squadToItems(json: unknown): QaItem[] {
  const data = squadSchema.parse(json).data;
  return data.flatMap((article) =>
    article.paragraphs.flatMap((p) =>
      p.qas.map((q) => ({
        id: q.id,
        context: p.context,
        question: q.question,
        answers: [...new Set(q.answers.map((a) => a.text))],
      })),
    ),
  );
}

const span = z.tuple([z.coerce.number().int(), z.coerce.number().int()]);
const qmsumSchema = z.object({
  topic_list: z.array(z.object({ relevant_text_span: z.array(span) })),
  general_query_list: z.array(z.object({ query: z.string(), answer: z.string() })),
  specific_query_list: z.array(z.object({ query: z.string(), answer: z.string(), relevant_text_span: z.array(span) })),
  meeting_transcripts: z.array(z.object({ speaker: z.string(), content: z.string() })),
});

/**
 * QMSum meetings (JSONL lines) -> QA items over the whole transcript ("Speaker: content" per
 * line). Evidence is the turns of the query's relevant_text_span; general queries ("Summarize
 * the whole meeting") have none, so the union of the meeting's topic spans stands in.
 */
export function qmsumToItems(lines: string[]): QaItem[] {
  return lines.flatMap((line, m) => {
    const meeting = qmsumSchema.parse(JSON.parse(line));
    const turns = meeting.meeting_transcripts.map((t) => `${t.speaker}: ${t.content.trim()}`);
    const context = turns.join('\n');
    const evidenceOf = (spans: [number, number][]) =>
      [...new Set(spans.flatMap(([s, e]) => range(s, e)))]
        .sort((a, b) => a - b)
        .map((i) => turns[i])
        .filter(Boolean);
    const topics = meeting.topic_list.flatMap((t) => t.relevant_text_span);
    const queries = [
      ...meeting.general_query_list.map((q, i) => ({ id: `m${m}-g${i}`, q, spans: topics })),
      ...meeting.specific_query_list.map((q, i) => ({ id: `m${m}-s${i}`, q, spans: q.relevant_text_span })),
    ];
    return queries.map(({ id, q, spans }) => ({
      id,
      context,
      question: q.query,
      answers: [q.answer],
      evidence: evidenceOf(spans),
    }));
  });
}

function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => start + i);
}
