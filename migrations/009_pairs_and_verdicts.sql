-- Pairwise judging and external verdicts.

-- The premium model's answer to the same request (a shadow run's served answer, or a recorded pair):
-- a class without references is judged pairwise against it (judge/pairwise/).
alter table routing_events add column premium_response text;
alter table routing_events add column premium_model text;

-- Verdicts made elsewhere (human review, another evaluator), from `verdict` events; one per event and
-- source, so ingesting the same file twice stores each once. The winning verdict of the event is also
-- its row in `judgments` (provider 'external'), which is what class rates and the CUSUM count.
create table external_verdicts (
  event_source  text not null check (event_source in ('routing', 'cache')),
  event_id      text not null,
  source        text not null,
  verdict       text not null check (verdict in ('pass', 'fail')),
  reason        text,
  sample_id     bigint not null references samples(id),
  ts            timestamptz,
  ingested_at   timestamptz not null default now(),
  primary key (event_source, event_id, source)
);
create index external_verdicts_sample on external_verdicts (sample_id);
