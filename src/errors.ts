/**
 * Every failure driftwatch raises on purpose is a DriftwatchError with a stable `code`.
 * The CLI maps `exitCode` 2 (bad input, config or usage), 4 (the run could not do its job: the
 * judge could not be reached or none of its calls worked) and 1 (anything else).
 */
export class DriftwatchError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2 | 4;
  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: 1 | 2 | 4 } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad user input: a file, a line, a field, a flag. Exit code 2. */
export class InputError extends DriftwatchError {
  constructor(message: string, options: { cause?: unknown; code?: string } = {}) {
    super(options.code ?? 'bad_input', message, { cause: options.cause, exitCode: 2 });
  }
}

/** An invalid driftwatch.yaml or environment. Exit code 2. */
export class ConfigError extends DriftwatchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('bad_config', message, { cause: options.cause, exitCode: 2 });
  }
}

/** An invalid or unreadable routing table. Exit code 2. */
export class RoutingTableError extends DriftwatchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('bad_routing_table', message, { cause: options.cause, exitCode: 2 });
  }
}

/** The database could not be opened, migrated or queried. */
export class DatabaseError extends DriftwatchError {
  constructor(message: string, options: { cause?: unknown; code?: string; exitCode?: 1 | 2 } = {}) {
    super(options.code ?? 'database', message, { cause: options.cause, exitCode: options.exitCode ?? 1 });
  }
}

/**
 * Why a reference-model call failed, as counted in `judge --json` `callFailures`:
 * connection (refused, DNS, reset), timeout, auth (401/403), rate_limited (429 after the retries),
 * server_error (5xx), bad_request (400/404/422), malformed (a 200 whose body or verdict is unreadable),
 * aborted (shutdown), other.
 */
export type JudgeFailureKind =
  | 'connection'
  | 'timeout'
  | 'auth'
  | 'rate_limited'
  | 'server_error'
  | 'bad_request'
  | 'malformed'
  | 'aborted'
  | 'other';

/** A reference-model call failed; `retryable` says whether the sample may be tried again later. */
export class JudgeError extends DriftwatchError {
  readonly retryable: boolean;
  readonly kind: JudgeFailureKind;
  /** For `malformed`: the start of the reply as received (not yet redacted). */
  readonly excerpt?: string;
  constructor(
    message: string,
    options: { cause?: unknown; retryable: boolean; kind?: JudgeFailureKind; excerpt?: string },
  ) {
    super('judge', message, { cause: options.cause });
    this.retryable = options.retryable;
    this.kind = options.kind ?? 'other';
    if (options.excerpt !== undefined) this.excerpt = options.excerpt;
  }
}

/** The judge could not judge what the run asked of it (unreachable, refused, every call failed). Exit code 4. */
export class JudgeUnavailableError extends DriftwatchError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('judge_unavailable', message, { cause: options.cause, exitCode: 4 });
  }
}
