/**
 * Every failure driftwatch raises on purpose is a DriftwatchError with a stable `code`.
 * The CLI maps `exitCode` 2 (bad input, config or usage) and 1 (anything else).
 */
export class DriftwatchError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2;
  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: 1 | 2 } = {}) {
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

/** A reference-model call failed; `retryable` says whether the sample may be tried again later. */
export class JudgeError extends DriftwatchError {
  readonly retryable: boolean;
  constructor(message: string, options: { cause?: unknown; retryable: boolean }) {
    super('judge', message, { cause: options.cause });
    this.retryable = options.retryable;
  }
}
