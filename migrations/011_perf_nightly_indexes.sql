-- Issue 15: nightly statements read through an index, not over the whole history.
-- The report's per-run queries (verdicts, failures, judge cost of this run) filter judgments by run_id.
create index if not exists judgments_run on judgments (run_id);
