import { statSync } from 'node:fs';
import { classifyTask, type TaskSignals } from './classify-task.js';
import { classEntry, loadRoutingTable, modelFor, type RoutingTable } from './routing-table.js';

/** The routing decision for one request. */
export interface Route {
  model: string;
  tier: string;
  taskType: string;
  /** The routing table version the decision came from. */
  version: number;
  /**
   * Set while driftwatch has escalated the class: the cheaper model it came from. Run it on a
   * share of requests without serving its answer and log those events with `metadata.shadow:
   * true`; the shadow verdicts are what lets the class move back down.
   */
  shadow?: { model: string; tier: string };
}

export interface Router {
  route(request: TaskSignals): Route;
  /** The table currently in force. */
  table(): RoutingTable;
}

export interface RouterOptions {
  /** Path of routing.yaml. */
  path: string;
  /** Minimum milliseconds between checks of the file for changes (default 500; 0 = every call). */
  checkEveryMs?: number;
  /** Called when an edited file is invalid; the last good table stays in force. */
  onReloadError?: (err: Error) => void;
  now?: () => number;
}

/**
 * Returns the model for each request from the current routing table and picks up edits
 * (driftwatch's own atomic rewrites included) without a restart: the file's identity
 * (inode, size, mtime) is checked at most every `checkEveryMs`. An invalid edit keeps
 * the last good table. The initial load throws on an invalid table.
 */
export function createRouter(options: RouterOptions): Router {
  const now = options.now ?? Date.now;
  const every = options.checkEveryMs ?? 500;
  let current = loadRoutingTable(options.path).table;
  let stamp = fileStamp(options.path);
  let lastCheck = now();

  const refresh = () => {
    if (now() - lastCheck < every) return;
    lastCheck = now();
    const s = fileStamp(options.path);
    if (s === stamp) return;
    try {
      current = loadRoutingTable(options.path).table;
      stamp = s;
    } catch (err) {
      stamp = s; // report a bad edit once, not on every request
      options.onReloadError?.(err as Error);
    }
  };

  return {
    route(request) {
      refresh();
      const listed = classEntry(current, request.taskType);
      const { model, tier } = modelFor(current, request.taskType, listed ? undefined : classifyTask(request));
      const from = listed?.escalatedFrom;
      const shadowModel = from ? current.tiers[from] : undefined;
      const route: Route = { model, tier, taskType: request.taskType, version: current.version };
      return shadowModel && from && shadowModel !== model
        ? { ...route, shadow: { model: shadowModel, tier: from } }
        : route;
    },
    table() {
      refresh();
      return current;
    },
  };
}

function fileStamp(path: string): string {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return 'missing';
  }
}
