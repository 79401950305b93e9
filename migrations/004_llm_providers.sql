-- Provider batch jobs (Anthropic Message Batches, OpenAI Batch API): the handle is stored before and
-- after submission, so a restarted process resumes polling instead of resubmitting or losing results.
create table batch_jobs (
  id             bigserial primary key,
  provider       text not null check (provider in ('anthropic', 'openai')),
  model          text not null,
  purpose        text not null,                -- judge | queue (library callers)
  batch_id       text,                         -- null until the provider acknowledged the batch
  status         text not null default 'submitting'
                 check (status in ('submitting', 'in_progress', 'collected', 'failed', 'lost')),
  request_count  integer not null,
  error          text,
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now(),
  unique (provider, batch_id)
);
create index batch_jobs_open on batch_jobs (status) where status in ('submitting', 'in_progress');

-- The requests of one batch job: results are matched by custom_id; sample_id and tag (the rubric
-- name) are set for judge batches, so a resumed process can store verdicts without the request.
create table batch_job_items (
  job_id     bigint not null references batch_jobs(id) on delete cascade,
  custom_id  text not null,
  sample_id  bigint references samples(id),
  tag        text,
  primary key (job_id, custom_id)
);
create index batch_job_items_sample on batch_job_items (sample_id);
