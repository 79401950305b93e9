-- Escalator bookkeeping. Each judged sample feeds its class's CUSUM exactly once: a verdict is new
-- when it has no row here; the row is written in the same transaction as the class state
-- (driftwatch_state keys `cusum:<taskType>`), so a crash re-reads and never double counts.
create table escalator_processed (
  sample_id     bigint primary key references samples(id),
  task_type     text not null,
  processed_at  timestamptz not null default now()
);

-- New verdicts are found by judged time (late judgments of old events included).
create index if not exists judgments_judged_at on judgments (judged_at);
