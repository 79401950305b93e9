-- requires: vector
-- Semantic cache entries. The embedding column is an untyped `vector` so that embedders of any
-- size share one table; each row records its dims and embedder, and lookups cast to vector(dims)
-- so the per-dimension partial HNSW indexes (created here for 512 and 1536, and on demand for
-- other sizes by the cache) serve them. A query never compares vectors of different embedders.
create extension if not exists vector;

create table cache_entries (
  id          bigserial primary key,
  task_type   text not null,
  query       text not null,
  embedding   vector not null,
  dims        integer not null check (dims > 0),
  embedder    text not null,                  -- e.g. lexical-v1, openai:text-embedding-3-small
  result      jsonb not null,
  created_at  timestamptz not null default now(),
  check (vector_dims(embedding) = dims)
);
create index cache_entries_scope on cache_entries (embedder, task_type, created_at);
create index cache_entries_hnsw_512 on cache_entries
  using hnsw ((embedding::vector(512)) vector_cosine_ops) where dims = 512;
create index cache_entries_hnsw_1536 on cache_entries
  using hnsw ((embedding::vector(1536)) vector_cosine_ops) where dims = 1536;
