-- Crash-safe routing-table writes: an apply records its intent (versions, both contents and their
-- hashes, the diff and the audit rows to write) and commits it BEFORE the file is renamed; the
-- audit rows and routing_versions follow in a second transaction that marks the intent done.
-- At start-up every command resolves intents still pending: a file at the new hash gets its audit
-- rows (done), a file still at the old hash is rolled back, anything else is audited as interrupted.
create table routing_intents (
  id           bigserial primary key,
  path         text not null,
  old_version  integer not null,
  new_version  integer not null,
  old_hash     text not null,                 -- sha256 of the file content read under the lock
  new_hash     text not null,                 -- sha256 of the content being written
  old_content  text not null,
  new_content  text not null,
  diff         text not null,
  reason       text not null,
  actor        text not null,
  run_id       text,
  audit        jsonb not null,                -- [{action, taskType, details}] written on completion
  at           timestamptz not null,
  status       text not null default 'pending' check (status in ('pending', 'done', 'rolled_back', 'interrupted')),
  resolved_at  timestamptz
);
create index routing_intents_pending on routing_intents (path) where status = 'pending';

-- Which process runs a run: a `running` row whose process is gone (same host) is closed as aborted.
alter table runs add column if not exists pid integer;
alter table runs add column if not exists host text;
