-- The probability each cache sample was drawn with (issue 11 item 3: cache certification weighted
-- by inclusion probability). Hits and near-misses are drawn at different rates per (class, day), so
-- the false-hit certification weights every judged lookup by 1 / inclusion_prob. Rows drawn before
-- this migration keep null and count with weight 1. est-sampler's migration adds the same column
-- for every sample; `if not exists` makes this one a no-op after it.
alter table samples add column if not exists inclusion_prob double precision
  check (inclusion_prob is null or (inclusion_prob > 0 and inclusion_prob <= 1));
