// Public library API: re-exports only.
export { DriftwatchError, InputError, ConfigError, RoutingTableError, DatabaseError, JudgeError } from './errors.js';
export type { Db, Queryable, QueryResult } from './db/db.js';
export { openDb } from './db/open-db.js';
export { migrate } from './db/migrate.js';
export { createRouter, type Router, type Route, type RouterOptions } from './routing/create-router.js';
export { classifyTask, type TaskSignals } from './routing/classify-task.js';
export { loadRoutingTable, parseRoutingTable, type RoutingTable } from './routing/routing-table.js';
export { priceFor, findPrice, callCostUsd, priceCatalog } from './routing/price-catalog.js';
export { countTokens } from './routing/count-tokens.js';
export { logRoutingEvent, logCacheLookup, type EventTarget } from './ingest/event-log.js';
export { ingestFile, type IngestCounts } from './ingest/ingest-file.js';
export type { RoutingEvent, CacheLookup } from './ingest/event-schema.js';
export { computeCost, type CostTable, type CostRow } from './cost/compute-cost.js';
export { loadWorkload, type Workload } from './cost/workload.js';
export { wilsonInterval, wilsonUpper, clopperPearsonInterval, clopperPearsonUpper, type RateEstimate } from './stats/binomial-interval.js';
export type { JudgeClient, JudgeRequest, JudgeReply } from './judge/judge-client.js';
