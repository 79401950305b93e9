-- The sampler's inclusion key and stratum day as stored columns, and an index over them, so a draw
-- reads only the sampled entries of each (class, UTC day) stratum: an index range scan per stratum,
-- index-only once the table is vacuumed, instead of hashing every row of the table.
-- Inclusion: sample_key in a window of width `threshold` (per million) that starts at an offset
-- derived from the salt, wrapping at 1,000,000 (the same decision on every machine and rerun).
alter table routing_events
  add column sample_key integer generated always as ((hashtext(id) & 2147483647) % 1000000) stored,
  add column utc_day date generated always as ((ts at time zone 'UTC')::date) stored;
create index routing_events_strata on routing_events (task_type, utc_day, sample_key) include (seq, id);
