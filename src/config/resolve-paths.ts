import path from 'node:path';
import type { LoadedConfig } from './load-config.js';
import { routingTableSetting, type RoutingFormat } from './routing-format.js';

/** The routing table (path and format) and reports folder named by driftwatch.yaml, resolved against its folder. */
export function resolvePaths(loaded: LoadedConfig): {
  routingTable: string;
  routingFormat: RoutingFormat;
  reportsDir: string;
} {
  const table = routingTableSetting(loaded.config);
  return {
    routingTable: path.resolve(loaded.baseDir, table.path),
    routingFormat: table.format,
    reportsDir: path.resolve(loaded.baseDir, loaded.config.reportsDir),
  };
}

/** A path for messages and JSON: relative to `cwd` when inside it, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
