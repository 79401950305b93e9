-- Sampler and reference judge: reference answers cache, judge calibrations, human review labels.

-- Why a drawn sample could not be judged (no reference, comparator not applicable).
alter table samples add column unjudgeable_reason text;

-- Answers of the reference model for events recorded without a reference, by prompt hash, so the
-- same prompt is never paid for twice.
create table reference_answers (
  prompt_hash   text not null,              -- sha256 of the prompt text
  model         text not null,
  answer        text not null,
  input_tokens  integer,
  output_tokens integer,
  cost_usd      double precision not null default 0,
  created_at    timestamptz not null default now(),
  primary key (prompt_hash, model)
);

-- Measured judge error rates: from a bundled gold set (judge-calibrate) or from human review.
create table judge_calibrations (
  id            bigserial primary key,
  source        text not null check (source in ('gold', 'review')),
  dataset       text not null,              -- gsm8k | llmbar | review file name
  task_type     text,                       -- set for review calibrations
  method        text not null,              -- comparator or rubric name
  provider      text not null,              -- offline | anthropic | openai
  model         text,
  n             integer not null,
  fp            double precision,           -- P(judge flags | answer correct)
  fn            double precision,           -- P(judge passes | answer wrong)
  details       jsonb not null,
  created_at    timestamptz not null default now()
);
create index judge_calibrations_lookup on judge_calibrations (task_type, method, created_at);

-- Human labels from `driftwatch review --import`; one per sample, re-import replaces.
create table review_labels (
  sample_id     bigint primary key references samples(id),
  label         text not null check (label in ('correct', 'error')),
  judge_verdict text not null check (judge_verdict in ('pass', 'fail')),
  file          text not null,
  imported_at   timestamptz not null default now()
);
