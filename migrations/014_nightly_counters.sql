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
create index samples_cache_draw on samples (task_type, id) where source = 'cache';
