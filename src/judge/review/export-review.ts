import type { Queryable } from '../../db/db.js';
import { cell } from '../../reports/markdown.js';
import { redactSecrets } from '../../reports/redact-secrets.js';
import { csvField } from '../../text/parse-csv.js';

/** One judged item for a human to label `correct` or `error`. */
export interface ReviewItem {
  sampleId: number;
  taskType: string;
  source: string;
  judgeVerdict: 'pass' | 'fail';
  judgeReason: string;
  input: string;
  answer: string;
  reference: string;
}

/** The CSV columns of a review file; humans fill `label` with `correct` or `error`. */
export const REVIEW_COLUMNS = [
  'sample_id',
  'task_type',
  'source',
  'judge_verdict',
  'judge_reason',
  'input',
  'answer',
  'reference',
  'label',
] as const;

/**
 * The judge's flags for `taskType` (up to `flags`) and a sample of its passes (up to `passes`),
 * both drawn in a deterministic hash order (notes section 7: >= 50-100 flags and 200 passes).
 */
export async function selectReviewItems(
  q: Queryable,
  options: { taskType: string; flags?: number; passes?: number; salt?: string },
): Promise<ReviewItem[]> {
  const r = await q.query<{
    sample_id: string;
    task_type: string;
    source: string;
    verdict: 'pass' | 'fail';
    reason: string | null;
    input: string | null;
    answer: string | null;
    reference: string | null;
  }>(
    `with j as (
       select j.sample_id, s.task_type, s.source, j.verdict, j.reason,
              case when s.source = 'routing' then coalesce(e.prompt, e.messages::text) else c.query end as input,
              case when s.source = 'routing' then e.response else c.result end as answer,
              case when s.source = 'routing' then e.reference else c.reference end as reference,
              row_number() over (partition by j.verdict order by hashtext($4::text || j.sample_id::text), j.sample_id) as k
       from judgments j join samples s on s.id = j.sample_id
       left join routing_events e on s.source = 'routing' and e.id = s.event_id
       left join cache_lookups c on s.source = 'cache' and c.id = s.event_id
       where s.task_type = $1)
     select * from j where (verdict = 'fail' and k <= $2) or (verdict = 'pass' and k <= $3) order by verdict, sample_id`,
    [options.taskType, options.flags ?? 100, options.passes ?? 200, options.salt ?? 'review'],
  );
  return r.rows.map((x) => ({
    sampleId: Number(x.sample_id),
    taskType: x.task_type,
    source: x.source,
    judgeVerdict: x.verdict,
    judgeReason: x.reason ?? '',
    input: x.input ?? '',
    answer: x.answer ?? '',
    reference: x.reference ?? '',
  }));
}

/**
 * A review file: CSV (re-importable) or markdown (for reading; label in the CSV). Text fields are
 * redacted (keys, tokens, e-mails, phones, IBANs, cards) in both; CSV cells are quoted per RFC 4180
 * and guarded against formula injection, markdown cells are escaped.
 */
export function renderReview(items: ReviewItem[], format: 'csv' | 'md'): string {
  const text = (i: ReviewItem) => [i.judgeReason, i.input, i.answer, i.reference].map(redactSecrets);
  if (format === 'csv') {
    const rows = items.map((i) =>
      [String(i.sampleId), i.taskType, i.source, i.judgeVerdict, ...text(i), '']
        .map((v) => csvField(neutralizeFormula(v)))
        .join(','),
    );
    return `${REVIEW_COLUMNS.join(',')}\r\n${rows.map((r) => `${r}\r\n`).join('')}`;
  }
  const head = `| sample_id | judge | reason | input | answer | reference | label |\n| --- | --- | --- | --- | --- | --- | --- |`;
  const body = items.map((i) => `| ${i.sampleId} | ${i.judgeVerdict} | ${text(i).map(cell).join(' | ')} |  |`);
  return `# Review: ${cell(items[0]?.taskType ?? '(no items)')}\n\n${items.filter((i) => i.judgeVerdict === 'fail').length} judge flags and ${items.filter((i) => i.judgeVerdict === 'pass').length} passes. Label each \`correct\` or \`error\`; import with the CSV format.\n\n${head}\n${body.join('\n')}\n`;
}

/**
 * OWASP's CSV-injection defence: a cell a spreadsheet would read as a formula (starting with
 * = + - @, tab or carriage return) gets a leading apostrophe, so it is shown as text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
