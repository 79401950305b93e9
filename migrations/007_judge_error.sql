-- A sample whose judge replies were unreadable twice (truncated JSON, an HTML page, "maybe", prose):
-- status judge_error with the reply's first 200 characters (redacted), so it is not paid for again
-- unless asked (`judge --retry-errors`, `nightly --retry-errors`).
alter table samples drop constraint if exists samples_status_check;
alter table samples add constraint samples_status_check check (status in ('pending', 'claimed', 'judged', 'unjudgeable', 'judge_error'));
alter table samples add column judge_error text;
