-- Core tables: ingested events, samples, judgments, runs, routing-table versions, audit log.

create table routing_events (
  seq            bigserial unique,            -- ingestion order; the sampler's watermark
  id             text primary key,
  ts             timestamptz not null,
  task_type      text not null,
  model          text not null,
  prompt         text,
  messages       jsonb,
  response       text not null,
  reference      text,
  input_tokens   integer,
  output_tokens  integer,
  cost_usd       double precision,
  latency_ms     double precision,
  has_tool_calls boolean,
  metadata       jsonb,
  ingested_at    timestamptz not null default now()
);
create index routing_events_task_ts on routing_events (task_type, ts);

create table cache_lookups (
  seq            bigserial unique,
  id             text primary key,
  ts             timestamptz not null,
  task_type      text,
  query          text not null,
  hit            boolean not null,
  similarity     double precision not null,
  matched_query  text,
  result         text,
  reference      text,
  threshold      double precision,
  metadata       jsonb,
  ingested_at    timestamptz not null default now()
);
create index cache_lookups_ts on cache_lookups (ts);

create table runs (
  id           text primary key,
  kind         text not null,                 -- nightly | daemon | sample | judge | demo ...
  started_at   timestamptz not null default now(),
  finished_at  timestamptz,
  status       text not null default 'running', -- running | ok | failed
  summary      jsonb
);

-- A drawn sample: one routed response or one cache lookup, drawn once, judged once.
create table samples (
  id           bigserial primary key,
  source       text not null check (source in ('routing', 'cache')),
  event_id     text not null,
  task_type    text not null,
  reason       text not null,                 -- routing | shadow | hit | near_miss
  event_ts     timestamptz not null,
  run_id       text references runs(id),
  sampled_at   timestamptz not null default now(),
  status       text not null default 'pending' check (status in ('pending', 'claimed', 'judged', 'unjudgeable')),
  claimed_by   text,
  claimed_at   timestamptz,
  unique (source, event_id)
);
create index samples_pending on samples (status, id);
create index samples_task on samples (task_type, event_ts);

-- One verdict per sample (primary key), so a retried or resumed judge can never count twice.
create table judgments (
  sample_id     bigint primary key references samples(id),
  verdict       text not null check (verdict in ('pass', 'fail')),
  provider      text not null,                -- offline | anthropic | openai
  model         text,
  method        text not null,                -- comparator name or rubric name
  reason        text,
  input_tokens  integer,
  output_tokens integer,
  cost_usd      double precision not null default 0,
  run_id        text references runs(id),
  judged_at     timestamptz not null default now()
);

-- Per-class rates as computed at the end of a run (for trends and reports).
create table class_rates (
  run_id      text not null references runs(id),
  task_type   text not null,
  source      text not null default 'routing',
  n           integer not null,
  failures    integer not null,
  rate        double precision,
  lower       double precision,
  upper       double precision,
  details     jsonb,
  primary key (run_id, task_type, source)
);

-- Every routing table driftwatch wrote, with why.
create table routing_versions (
  version     integer not null,
  path        text not null,
  content     text not null,
  reason      text,
  run_id      text references runs(id),
  written_at  timestamptz not null default now(),
  primary key (path, version)
);

create table audit_log (
  id          bigserial primary key,
  at          timestamptz not null default now(),
  actor       text not null,                  -- e.g. nightly, daemon:<host>:<pid>, cli
  action      text not null,                  -- escalate | deescalate | threshold | ...
  task_type   text,
  details     jsonb not null
);

-- Small key/value state (sampler watermarks, daemon leadership notes).
create table driftwatch_state (
  key         text primary key,
  value       jsonb not null,
  updated_at  timestamptz not null default now()
);
