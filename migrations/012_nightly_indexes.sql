-- Issue 15: nightly statements read through an index, not over the whole history.
-- The report's per-run queries (verdicts, failures, judge cost of this run) filter judgments by run_id.
create index if not exists judgments_run on judgments (run_id);

-- Cache lookups per (class as the tuner names it, similarity bucket of 0.001), kept by a statement
-- trigger on every insert into cache_lookups (ingest and driftwatch's own lookup log), so the nightly
-- cache tuning reads at most ~1,001 rows a class instead of grouping every lookup ever logged (a
-- per-day key would grow with the history again). bucket = floor(similarity * 1000 + 1e-9), the
-- expression loadLookupPopulation grouped by.
create table cache_lookup_buckets (
  task_type  text not null,              -- coalesce(cache_lookups.task_type, 'default')
  bucket     integer not null,
  lookups    bigint not null,
  hits       bigint not null,
  primary key (task_type, bucket)
);

insert into cache_lookup_buckets (task_type, bucket, lookups, hits)
select coalesce(task_type, 'default'), floor(similarity * 1000 + 1e-9)::int, count(*), count(*) filter (where hit)
  from cache_lookups group by 1, 2;

create function cache_lookup_buckets_add() returns trigger language plpgsql as $$
begin
  insert into cache_lookup_buckets as b (task_type, bucket, lookups, hits)
  select coalesce(task_type, 'default'), floor(similarity * 1000 + 1e-9)::int, count(*), count(*) filter (where hit)
    from new_lookups group by 1, 2
  order by 1, 2 -- one row-lock order for every writer, so two ingests wait instead of deadlocking
  on conflict (task_type, bucket) do update set lookups = b.lookups + excluded.lookups, hits = b.hits + excluded.hits;
  return null;
end $$;

create trigger cache_lookups_buckets after insert on cache_lookups
  referencing new table as new_lookups for each statement execute function cache_lookup_buckets_add();
