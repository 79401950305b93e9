-- Issue 15: a sample run costs about what inserting its rows costs. Measured on 2M events
-- (bench/sample-insert.ts), the insert of the draw cost 2.5x TABLESAMPLE SYSTEM(5) inserting as many
-- rows into a copy of samples, for three reasons fixed here and in drawRouting:

-- 1. The draw visited a heap page per drawn event (ts and metadata are not in the strata index), about
--    every page of the table for a whole-table draw, churning shared buffers under the insert. With
--    ts in the index, the draw reads all a samples row needs from the index (index-only once the
--    visibility map is set: autovacuum on PostgreSQL, a VACUUM on PGlite, which has no autovacuum;
--    before that it still reads only the drawn rows' pages).
drop index if exists routing_events_strata;
create index routing_events_strata on routing_events (task_type, utc_day, sample_key) include (seq, id, ts);

-- The few shadow events (metadata.shadow = true, drawn with reason 'shadow'), found by seq.
create index routing_events_shadow on routing_events (seq) where metadata->>'shadow' = 'true';

-- 2. samples.run_id -> runs(id) was a foreign key: one probe of runs (a query and a row lock) per
--    inserted sample, 0.5x the whole copy insert. The same rule, checked once per statement: every
--    run a statement names exists and is locked against deletion until commit (FOR KEY SHARE, as
--    the foreign key locked it); a run that samples name cannot be deleted or renamed. Errors keep
--    the foreign key's SQLSTATE (23503) and name.
alter table samples drop constraint if exists samples_run_id_fkey;

create function samples_check_runs() returns trigger language plpgsql as $$
declare
  missing text;
begin
  perform 1 from runs r join (select distinct run_id from new_samples) n on n.run_id = r.id for key share of r;
  select n.run_id into missing from (select distinct run_id from new_samples where run_id is not null) n
   where not exists (select 1 from runs r where r.id = n.run_id) limit 1;
  if found then
    raise exception 'insert or update on table "samples" violates foreign key constraint "samples_run_id_fkey"'
      using errcode = 'foreign_key_violation', detail = format('Key (run_id)=(%s) is not present in table "runs".', missing);
  end if;
  return null;
end $$;

create trigger samples_run_exists after insert on samples
  referencing new table as new_samples for each statement execute function samples_check_runs();

create function samples_check_run_update() returns trigger language plpgsql as $$
begin
  if new.run_id is not null then
    perform 1 from runs r where r.id = new.run_id for key share;
    if not found then
      raise exception 'insert or update on table "samples" violates foreign key constraint "samples_run_id_fkey"'
        using errcode = 'foreign_key_violation', detail = format('Key (run_id)=(%s) is not present in table "runs".', new.run_id);
    end if;
  end if;
  return new;
end $$;

create trigger samples_run_exists_update before update of run_id on samples
  for each row when (new.run_id is distinct from old.run_id) execute function samples_check_run_update();

create function runs_keep_sampled() returns trigger language plpgsql as $$
begin
  if tg_op = 'UPDATE' and new.id = old.id then
    return new;
  end if;
  if exists (select 1 from samples s where s.run_id = old.id) then
    raise exception 'update or delete on table "runs" violates foreign key constraint "samples_run_id_fkey" on table "samples"'
      using errcode = 'foreign_key_violation', detail = format('Key (id)=(%s) is still referenced from table "samples".', old.id);
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end $$;

create trigger runs_keep_sampled before delete or update of id on runs
  for each row execute function runs_keep_sampled();

-- 3. `on conflict do nothing` takes a speculative-insertion lock per row (0.6x the copy insert):
--    drawRouting now skips samples that exist with `not exists` and falls back to `on conflict`
--    only when a concurrent verdict ingest inserted one of the same samples (no schema change).

-- 4. The sample run's per-stratum volumes came from a pass over every new event (a whole-table run:
--    every event). Each insert statement into routing_events now adds one row per (class, UTC day)
--    it wrote, with its seq span, event count and latest ts; the sampler sums the rows inside its
--    seq range (watermark, upTo] and counts from the events themselves only when a row straddles an
--    end of the range (a writer that skipped the event-writers fence). Existing events are counted
--    here as one such statement.
create table routing_event_counts (
  first_seq  bigint not null,
  last_seq   bigint not null,
  task_type  text not null,
  utc_day    date not null,
  events     bigint not null,
  latest_ts  timestamptz not null
);
create index routing_event_counts_span on routing_event_counts (last_seq, first_seq);

insert into routing_event_counts (first_seq, last_seq, task_type, utc_day, events, latest_ts)
select min(seq), max(seq), task_type, utc_day, count(*), max(ts) from routing_events group by task_type, utc_day;

create function routing_event_counts_add() returns trigger language plpgsql as $$
begin
  insert into routing_event_counts (first_seq, last_seq, task_type, utc_day, events, latest_ts)
  select min(seq), max(seq), task_type, (ts at time zone 'UTC')::date, count(*), max(ts)
    from new_events group by task_type, (ts at time zone 'UTC')::date;
  return null;
end $$;

create trigger routing_events_counts after insert on routing_events
  referencing new table as new_events for each statement execute function routing_event_counts_add();
