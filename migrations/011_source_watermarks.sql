-- Where each pulled source was read up to (issue 14: `driftwatch pull litellm`). One row per source
-- (e.g. litellm:host:5432/litellm, never with credentials); position is the source's own ordering
-- key, for LiteLLM_SpendLogs {"startTime": "<timestamp(3) as text>", "requestId": "..."}. It moves in
-- the same transaction that stores the pulled events, so a failed pull leaves it where it was.
create table source_watermarks (
  source      text primary key,
  position    jsonb not null,
  updated_at  timestamptz not null default now()
);
