import { basename } from 'node:path';
import type { Db } from '../../db/db.js';
import { InputError } from '../../errors.js';
import { estimateFromReview, type ReviewEstimate } from '../../stats/judge-noise.js';
import { type CsvRecord, parseCsv } from '../../text/parse-csv.js';

/** One task class's result of an import: the counts and fp-hat / fn-hat (notes section 7, step 1). */
export interface ReviewImportClass extends ReviewEstimate {
  taskType: string;
  flagRate: number;
  judged: number;
  reviewedFlags: number;
  confirmedFlags: number;
  reviewedPasses: number;
  missedErrors: number;
}

interface Label {
  line: number;
  sampleId: number;
  label: 'correct' | 'error';
}

/** Reads labelled rows of a review CSV; rows with an empty label are skipped. Errors name file:line: field. */
export function parseReviewCsv(file: string, text: string): Label[] {
  let rows: CsvRecord[];
  try {
    rows = parseCsv(text);
  } catch (e) {
    throw new InputError(`${file}: ${(e as Error).message}`);
  }
  const header = rows[0]?.fields ?? [];
  const [idCol, labelCol] = [header.indexOf('sample_id'), header.indexOf('label')];
  if (idCol < 0 || labelCol < 0)
    throw new InputError(
      `${file}:1: header must have sample_id and label columns (export one with driftwatch review --out FILE --format csv)`,
    );
  const out: Label[] = [];
  for (const r of rows.slice(1)) {
    const label = (r.fields[labelCol] ?? '').trim().toLowerCase();
    if (label === '') continue;
    if (label !== 'correct' && label !== 'error')
      throw new InputError(`${file}:${r.line}: label: expected "correct" or "error", got "${r.fields[labelCol]}"`);
    const id = Number(r.fields[idCol]);
    if (!Number.isInteger(id) || id <= 0)
      throw new InputError(`${file}:${r.line}: sample_id: expected a sample id, got "${r.fields[idCol]}"`);
    out.push({ line: r.line, sampleId: id, label });
  }
  return out;
}

/**
 * Imports human labels (all or nothing) and stores fp-hat / fn-hat per task class in judge_calibrations
 * (source 'review'), from every review label of the class and its flag rate over all its verdicts.
 */
export async function importReview(db: Db, file: string, text: string): Promise<ReviewImportClass[]> {
  const labels = parseReviewCsv(file, text);
  if (labels.length === 0)
    throw new InputError(`${file}: no labelled rows (fill the label column with correct or error)`);
  return db.transaction(async (tx) => {
    const known = await tx.query<{ sample_id: string; verdict: 'pass' | 'fail'; task_type: string }>(
      `select j.sample_id, j.verdict, s.task_type from judgments j join samples s on s.id = j.sample_id where j.sample_id = any($1::bigint[])`,
      [labels.map((l) => l.sampleId)],
    );
    const byId = new Map(known.rows.map((k) => [Number(k.sample_id), k]));
    const missing = labels.find((l) => !byId.has(l.sampleId));
    if (missing)
      throw new InputError(`${file}:${missing.line}: sample_id: ${missing.sampleId} has no verdict in ${db.location}`);
    await tx.query(
      `insert into review_labels (sample_id, label, judge_verdict, file) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
       on conflict (sample_id) do update set label = excluded.label, judge_verdict = excluded.judge_verdict, file = excluded.file, imported_at = now()`,
      [
        labels.map((l) => l.sampleId),
        labels.map((l) => l.label),
        labels.map((l) => byId.get(l.sampleId)!.verdict),
        labels.map(() => basename(file)),
      ],
    );
    const tasks = [...new Set(labels.map((l) => byId.get(l.sampleId)!.task_type))].sort();
    const out: ReviewImportClass[] = [];
    for (const t of tasks) out.push(await calibrateClass(tx, t, basename(file)));
    return out;
  });
}

async function calibrateClass(tx: Pick<Db, 'query'>, taskType: string, file: string): Promise<ReviewImportClass> {
  const r = await tx.query<{ judged: number; flags: number; rf: number; cf: number; rp: number; me: number }>(
    `select count(*)::int as judged, count(*) filter (where j.verdict = 'fail')::int as flags,
            count(l.*) filter (where l.judge_verdict = 'fail')::int as rf, count(l.*) filter (where l.judge_verdict = 'fail' and l.label = 'error')::int as cf,
            count(l.*) filter (where l.judge_verdict = 'pass')::int as rp, count(l.*) filter (where l.judge_verdict = 'pass' and l.label = 'error')::int as me
     from judgments j join samples s on s.id = j.sample_id left join review_labels l on l.sample_id = j.sample_id where s.task_type = $1`,
    [taskType],
  );
  const c = r.rows[0];
  const counts = {
    flagRate: c.judged ? c.flags / c.judged : 0,
    reviewedFlags: c.rf,
    confirmedFlags: c.cf,
    reviewedPasses: c.rp,
    missedErrors: c.me,
  };
  const est = estimateFromReview(counts);
  const result: ReviewImportClass = { taskType, judged: c.judged, ...counts, ...est };
  await tx.query(
    `insert into judge_calibrations (source, dataset, task_type, method, provider, model, n, fp, fn, details) values ('review', $1, $2, 'review', 'human', null, $3, $4, $5, $6)`,
    [file, taskType, c.rf + c.rp, est.fp, est.fn, JSON.stringify(result)],
  );
  return result;
}
