import { JudgeError, type JudgeFailureKind } from '../../errors.js';
import type { JudgeProvider } from '../judge-providers.js';

/** The error classes of one SDK (both SDKs export the same names). */
export interface SdkErrorClasses {
  APIError: abstract new (
    ...args: never[]
  ) => Error & { status?: number | undefined; headers?: Headers | undefined; error?: unknown };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** Where the failure happened, for the message; `secrets` are scrubbed from it. */
export interface ErrorContext {
  provider: JudgeProvider;
  what: string;
  secrets?: (string | undefined)[];
}

const KEY_HINT = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' } as const;

/**
 * Maps an SDK error to a JudgeError, keeping it as `cause`. Retryable: 408, 409, 429, 5xx,
 * timeouts, connection failures and aborts (the sample stays pending); not: 400, 401, 403, 404.
 */
export function toJudgeError(err: unknown, classes: SdkErrorClasses, ctx: ErrorContext): JudgeError {
  if (err instanceof JudgeError) return err;
  const at = `${ctx.provider} ${ctx.what}`;
  const say = (msg: string, retryable: boolean, kind: JudgeFailureKind) =>
    new JudgeError(redactSecrets(msg, ctx.secrets).replace(/\s*\n\s*/g, ' '), { cause: err, retryable, kind });
  if (err instanceof classes.APIUserAbortError)
    return say(`${at} was aborted; the sample stays pending`, true, 'aborted');
  if (err instanceof classes.APIConnectionTimeoutError)
    return say(
      `${at} timed out after the SDK's retries; the sample stays pending, rerun later or raise the timeout`,
      true,
      'timeout',
    );
  if (err instanceof classes.APIConnectionError)
    return say(
      `${at} could not reach the server (${err.message}${rootCause(err)}); check the base URL and network, the sample stays pending`,
      true,
      'connection',
    );
  if (err instanceof classes.APIError && typeof err.status === 'number') {
    const s = err.status;
    const retryable = s === 408 || s === 409 || s === 429 || s >= 500;
    return say(
      `${at} failed with HTTP ${s}: ${err.message}${hintFor(s, ctx.provider, err.headers)}`,
      retryable,
      kindOfStatus(s),
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return say(`${at} failed: ${message}`, false, 'other');
}

function kindOfStatus(s: number): JudgeFailureKind {
  if (s === 401 || s === 403) return 'auth';
  if (s === 429) return 'rate_limited';
  if (s === 408) return 'timeout';
  if (s >= 500) return 'server_error';
  return 'bad_request';
}

/** The system error under an SDK connection error ("ECONNREFUSED 127.0.0.1:9", "ENOTFOUND host"), if any. */
function rootCause(err: Error): string {
  let e: unknown = err.cause;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return `: ${e.message}`;
    e = e.cause;
  }
  return '';
}

function hintFor(status: number, provider: ErrorContext['provider'], headers: Headers | undefined): string {
  if (status === 401 || status === 403) return `; check ${KEY_HINT[provider]} (the key is not shown)`;
  if (status === 429) {
    const capped = headers?.get('x-driftwatch-retry-after-ms');
    return capped
      ? `; the server asked to wait ${Math.round(Number(capped) / 1000)} s, over the retry cap, so the sample stays pending for the next run`
      : '; rate limited after the retries; the sample stays pending';
  }
  if (status >= 500) return '; provider error after the retries; the sample stays pending';
  if (status === 400 || status === 404) return '; the request was rejected: check the judge model name and max tokens';
  return '';
}

/** Replaces every given secret, and anything shaped like an API key, with "[redacted]". */
export function redactSecrets(text: string, secrets: (string | undefined)[] = []): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]');
}
