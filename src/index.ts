// Public library API (`import ... from 'driftwatch'`): re-exports only. What an application needs to
// feed driftwatch and use its levers: route requests, log routed calls and cache lookups, a semantic
// cache, a provider batch queue, config loading; the types of their arguments and results; and the
// errors they throw. Everything else (nightly, judge runs, escalation, reports) is the CLI's; deep
// imports of dist/ are not part of the contract.
export { DriftwatchError, InputError, ConfigError, RoutingTableError, DatabaseError, JudgeError } from './errors.js';

// database: the cache and the batch queue store rows; events can go to a database instead of a file
export type { Db, Queryable, QueryResult } from './db/db.js';
export { openDb } from './db/open-db.js';
export { migrate } from './db/migrate.js';

// routing
export { createRouter, type Router, type Route, type RouterOptions } from './routing/create-router.js';
export type { TaskSignals } from './routing/classify-task.js';
export type { RoutingTable } from './routing/routing-table.js';

// event logging
export { logRoutingEvent, logCacheLookup, type EventTarget } from './ingest/event-log.js';
export type { RoutingEvent, CacheLookup } from './ingest/event-schema.js';

// semantic cache and embedders
export {
  createSemanticCache,
  type SemanticCache,
  type SemanticCacheOptions,
  type CacheLookupOutcome,
} from './cache/semantic-cache.js';
export type { NearestEntry } from './cache/cache-store.js';
export type { Embedder } from './cache/embedder.js';
export { createEmbedder, type EmbedderChoice } from './cache/create-embedder.js';
export { createLexicalEmbedder, type LexicalEmbedderOptions } from './cache/lexical-embedder.js';
export { createLocalEmbedder } from './cache/local-embedder.js';
export { createOpenAiEmbedder, type OpenAiEmbedderOptions } from './cache/openai-embedder.js';

// provider batch queue
export { createBatchQueue } from './batch/create-batch-queue.js';
export type {
  BatchQueue,
  BatchQueueOptions,
  ItemMeta,
  DeliveredResult,
  QueueTimers,
} from './batch/batch-queue-types.js';
export { createJudgeClient, type CreateJudgeClientOptions } from './judge/providers/create-judge-client.js';
export type { PollPolicy } from './batch/wait-for-batch.js';
export type { JudgeClient, JudgeRequest, JudgeReply, JudgeUsage, BatchItemResult } from './judge/judge-client.js';

// configuration
export { loadConfig, type LoadedConfig } from './config/load-config.js';
export { loadEnv, type Env } from './config/load-env.js';
export type { Config } from './config/config-schema.js';
