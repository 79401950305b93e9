import { JudgeError, JudgeUnavailableError, type JudgeFailureKind } from '../errors.js';

/** Calls that failed in one run, by cause (the `callFailures` of `judge --json`). */
export interface CallFailures {
  total: number;
  byCause: Partial<Record<JudgeFailureKind, number>>;
}

/**
 * Tracks whether the judge is working during a run: failures by cause, and the run of consecutive
 * transport failures (connection, timeout, HTTP errors) with no reply in between. `tripped` once
 * that run reaches `tripAfter`: the judge is down, the run stops sending.
 */
export class JudgeHealth {
  readonly tripAfter: number;
  readonly failures: CallFailures = { total: 0, byCause: {} };
  private streak = 0;
  tripped = false;
  lastError?: JudgeError;

  constructor(tripAfter: number) {
    this.tripAfter = tripAfter;
  }

  /** A reply came back (a verdict, or an unreadable one): the judge is reachable. */
  replied(): void {
    this.streak = 0;
  }

  /** Counts a failed call; transport failures extend the streak. */
  failed(err: JudgeError): void {
    this.failures.total++;
    this.failures.byCause[err.kind] = (this.failures.byCause[err.kind] ?? 0) + 1;
    this.lastError = err;
    if (err.kind !== 'malformed' && ++this.streak >= this.tripAfter) this.tripped = true;
  }
}

/** Who the judge is, for the one-line failure message. */
export interface JudgeIdentity {
  provider: string;
  model: string;
  baseUrl?: string;
}

/**
 * The run's judge failed it when a call was refused for good (auth, bad request), when consecutive
 * failures tripped the breaker, or when every call it made failed. Returns the error to raise
 * (exit 4, one line naming provider, base URL and the error), or undefined for a working judge.
 */
export function judgeFailure(
  who: JudgeIdentity,
  health: JudgeHealth,
  calls: number,
  fatal?: unknown,
): JudgeUnavailableError | undefined {
  const fatalJudge = fatal instanceof JudgeError && !fatal.retryable ? fatal : undefined;
  const everyCall = calls > 0 && health.failures.total >= calls;
  if (!fatalJudge && !health.tripped && !everyCall) return undefined;
  const last = fatalJudge ?? health.lastError;
  const causes = Object.entries(health.failures.byCause)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const why =
    health.tripped && !everyCall
      ? `${health.failures.total} of ${calls} calls failed, the last ${health.tripAfter} in a row (${causes}), so the run stopped sending`
      : `${health.failures.total} of ${calls} calls failed (${causes})`;
  const at = who.baseUrl ? ` at ${who.baseUrl}` : '';
  const message = `the ${who.provider} judge${at} (model ${who.model}) could not judge: ${why}; last error: ${last?.message ?? 'none'}`;
  return new JudgeUnavailableError(message.replace(/\s*\n\s*/g, ' '), { cause: last });
}
