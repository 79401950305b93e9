import type { Db, Queryable } from '../db/db.js';
import type { JudgeProvider } from '../judge/judge-providers.js';

/** One stored batch job: a provider handle and its requests' custom ids (and sample ids). */
export interface BatchJob {
  id: number;
  provider: JudgeProvider;
  model: string;
  purpose: string;
  batchId: string | null;
  status: 'submitting' | 'in_progress' | 'collected' | 'failed' | 'lost';
  items: { customId: string; sampleId: number | null; tag: string | null }[];
}

/** Typed SQL over batch_jobs / batch_job_items (migration 004). */
export interface BatchJobStore {
  /** Records a job before submission; `onRecord` runs in the same transaction (claims samples). */
  record(
    job: Omit<BatchJob, 'id' | 'batchId' | 'status'>,
    onRecord?: (tx: Queryable, jobId: number) => Promise<void>,
  ): Promise<number>;
  attach(jobId: number, batchId: string): Promise<void>;
  setStatus(jobId: number, status: BatchJob['status'], error?: string): Promise<void>;
  /** Jobs not yet collected (submitting or in_progress) of one provider/purpose, oldest first. */
  open(provider: string, purpose: string): Promise<BatchJob[]>;
  /** How many such jobs there are (without reading their items). */
  countOpen(provider: string, purpose: string): Promise<number>;
}

interface JobRow {
  id: string;
  provider: BatchJob['provider'];
  model: string;
  purpose: string;
  batch_id: string | null;
  status: BatchJob['status'];
}

/** The store on a Db. */
export function createBatchJobStore(db: Db): BatchJobStore {
  return {
    async record(job, onRecord) {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `insert into batch_jobs (provider, model, purpose, request_count) values ($1, $2, $3, $4) returning id`,
          [job.provider, job.model, job.purpose, job.items.length],
        );
        const id = Number(rows[0]!.id);
        await tx.query(
          `insert into batch_job_items (job_id, custom_id, sample_id, tag)
           select $1, c, s, g from unnest($2::text[], $3::bigint[], $4::text[]) as t(c, s, g)`,
          [id, job.items.map((i) => i.customId), job.items.map((i) => i.sampleId), job.items.map((i) => i.tag)],
        );
        await onRecord?.(tx, id);
        return id;
      });
    },
    async attach(jobId, batchId) {
      await db.query(`update batch_jobs set batch_id = $2, status = 'in_progress', updated_at = now() where id = $1`, [
        jobId,
        batchId,
      ]);
    },
    async setStatus(jobId, status, error) {
      await db.query(`update batch_jobs set status = $2, error = $3, updated_at = now() where id = $1`, [
        jobId,
        status,
        error ?? null,
      ]);
    },
    async countOpen(provider, purpose) {
      const { rows } = await db.query<{ n: number }>(
        `select count(*)::int as n from batch_jobs where provider = $1 and purpose = $2 and status in ('submitting', 'in_progress')`,
        [provider, purpose],
      );
      return rows[0]!.n;
    },
    async open(provider, purpose) {
      const { rows } = await db.query<JobRow>(
        `select id, provider, model, purpose, batch_id, status from batch_jobs
         where provider = $1 and purpose = $2 and status in ('submitting', 'in_progress') order by id`,
        [provider, purpose],
      );
      const jobs: BatchJob[] = [];
      for (const r of rows) {
        const items = await db.query<{ custom_id: string; sample_id: string | null; tag: string | null }>(
          `select custom_id, sample_id, tag from batch_job_items where job_id = $1 order by custom_id`,
          [r.id],
        );
        jobs.push({
          id: Number(r.id),
          provider: r.provider,
          model: r.model,
          purpose: r.purpose,
          batchId: r.batch_id,
          status: r.status,
          items: items.rows.map((i) => ({
            customId: i.custom_id,
            sampleId: i.sample_id === null ? null : Number(i.sample_id),
            tag: i.tag,
          })),
        });
      }
      return jobs;
    },
  };
}
