-- Issue 15: the rest of the nightly reads through an index or a summary, not over the whole history.

-- Routing samples (not shadow) per (class, UTC day of the event), kept by a statement trigger on every
-- insert into samples, so the escalator's "samples drawn since the monitoring period began" sums at
-- most one row a day instead of counting every sample of a period that can span the whole history.
-- samples are never deleted, and source, reason, task_type and event_ts are never updated.
create table sample_counts (
  task_type  text not null,
  utc_day    date not null,
  samples    bigint not null,
  primary key (task_type, utc_day)
);

insert into sample_counts (task_type, utc_day, samples)
select task_type, (event_ts at time zone 'UTC')::date, count(*)
  from samples where source = 'routing' and reason <> 'shadow' group by 1, 2;

create function sample_counts_add() returns trigger language plpgsql as $$
begin
  insert into sample_counts as c (task_type, utc_day, samples)
  select task_type, (event_ts at time zone 'UTC')::date, count(*)
    from new_samples where source = 'routing' and reason <> 'shadow' group by 1, 2
  order by 1, 2 -- one row-lock order for every writer, so two sample runs wait instead of deadlocking
  on conflict (task_type, utc_day) do update set samples = c.samples + excluded.samples;
  return null;
end $$;

create trigger samples_counts after insert on samples
  referencing new table as new_samples for each statement execute function sample_counts_add();

-- Cache samples per class in draw order: the cache tuner's first START_SAMPLES per class (a bounded
-- range per class) and its judged cache verdicts are read through it, not by scanning samples.
create index samples_cache_draw on samples (task_type, id) include (event_id, sampled_at) where source = 'cache';

-- Routing samples (not shadow) per class in event time: loadJudgedVolumes' classes and each class's
-- latest judged event come from it (samples_task also holds cache samples, so a class with cache
-- samples only was walked to its start every night to find none).
create index samples_routing_task on samples (task_type, event_ts) where source = 'routing' and reason <> 'shadow';

-- The samples a judge may claim (pending, or claimed with a lease that may have lapsed), in id order:
-- claimSamples walked the primary key from its cursor over every judged sample before it.
create index samples_open on samples (id) where status in ('pending', 'claimed');

-- The cache tuner's judged verdicts, aggregated (cache/cache-verdict-summary.ts): per class the grid
-- cells and the judged hits' runs of every cache sample up to covered_id, kept by the tuner itself,
-- which then reads only the samples after covered_id (its own night's) through the primary key.
-- A verdict written, changed or removed for a covered sample (a late judgment, an external verdict
-- that overrides one) marks the summary stale, and the next tuning aggregates everything again. The
-- trigger reads covered_id FOR SHARE: a tuner updating the summary holds the row FOR UPDATE, so a
-- verdict for a sample the tuner could not see yet is compared with the covered_id it commits.
create table cache_verdict_summary (
  id          integer primary key check (id = 1),
  covered_id  bigint not null,
  stale       boolean not null,
  cells       jsonb not null,
  hit_runs    jsonb not null
);
insert into cache_verdict_summary values (1, 0, true, '{}', '{}');

create function cache_verdict_summary_touch() returns trigger language plpgsql as $$
declare
  covered bigint;
begin
  if tg_op = 'TRUNCATE' then
    update cache_verdict_summary set stale = true where id = 1;
    return null;
  end if;
  select covered_id into covered from cache_verdict_summary where id = 1 for share;
  if exists (select 1 from changed c join samples s on s.id = c.sample_id where c.sample_id <= covered and s.source = 'cache') then
    update cache_verdict_summary set stale = true where id = 1 and not stale;
  end if;
  return null;
end $$;

create trigger judgments_cache_summary_insert after insert on judgments
  referencing new table as changed for each statement execute function cache_verdict_summary_touch();
create trigger judgments_cache_summary_update after update on judgments
  referencing new table as changed for each statement execute function cache_verdict_summary_touch();
create trigger judgments_cache_summary_delete after delete on judgments
  referencing old table as changed for each statement execute function cache_verdict_summary_touch();
create trigger judgments_cache_summary_truncate after truncate on judgments
  for each statement execute function cache_verdict_summary_touch();

-- Each class's first START_SAMPLES (500) cache samples' similarities, in draw order, once the class
-- has them: they fix where the cache tuner's step-down starts and never change (samples are never
-- deleted and ids only grow), so the tuner stores them instead of reading them every night.
create table cache_start_samples (
  task_type     text primary key,
  similarities  jsonb not null
);
