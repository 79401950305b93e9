-- Design weights for every estimate (issue 11 items 1 and 2).
--
-- Each drawn sample keeps the probability it was drawn with: its stratum's base rate for the day
-- times the boost or burst of the run that read it (the key window is nested, so a higher rate
-- includes every event of a lower one). Rows drawn before this migration keep null (weight 1).
alter table samples add column inclusion_prob double precision
  check (inclusion_prob is null or (inclusion_prob > 0 and inclusion_prob <= 1));

-- The base inclusion rate of a (source, reason, task class, UTC day) stratum, fixed by the first
-- sampler run that sees the day, from the expected volume (trailing mean of the stratum's earlier
-- days, else the first run's count scaled to 24 h), so one day drawn in 1, 2, 24 or 288 runs gets
-- the same expected sample, uniform across its hours. volume_seen is the day's count so far (the
-- next days' trailing mean reads it).
create table stratum_rates (
  source          text not null check (source in ('routing', 'cache')),
  reason          text not null,
  task_type       text not null,
  day             date not null,
  expected_volume double precision not null,
  basis           text not null check (basis in ('trailing-mean', 'extrapolated')),
  base_rate       double precision not null check (base_rate > 0 and base_rate <= 1),
  volume_seen     integer not null default 0,
  run_id          text,                       -- the run that fixed the rate
  decided_at      timestamptz not null default now(),
  primary key (source, reason, task_type, day)
);

-- One writer and one reader of class rates: a row is either this run's verdicts (scope 'run', the
-- trend's point) or every verdict up to this run (scope 'cumulative'); both are design-weighted
-- (details: weighted rate, effective n, interval method, corrected rate).
alter table class_rates add column scope text not null default 'run' check (scope in ('run', 'cumulative'));
alter table class_rates drop constraint class_rates_pkey;
alter table class_rates add primary key (run_id, task_type, source, scope);
