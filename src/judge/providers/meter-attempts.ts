import type { AttemptHooks, AttemptOutcome } from '../judge-client.js';

const HEADER = 'x-driftwatch-call';
// errors raised before a request left this machine: nothing reached the provider, nothing billed
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_INVALID_URL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Per-call attempt hooks behind the SDK's own retry loop (see createAttemptMeter). */
export interface AttemptMeter {
  /** Wraps the fetch the SDK is built with. */
  wrap(inner: typeof fetch): typeof fetch;
  /** Registers one call: the header to send with it, its abort signal, and `done()` to unregister. */
  register(
    hooks: AttemptHooks | undefined,
    signal: AbortSignal | undefined,
  ): { headers: Record<string, string>; signal: AbortSignal; done(): void };
}

/**
 * Lets the budget see every attempt the SDK makes for one call, not only the call: before each
 * attempt `hooks.before(n)` may refuse it (the call is then aborted), and after it `hooks.after`
 * says whether the provider answered, surely did not bill (refused connection, HTTP 4xx), or may
 * have billed (a timeout or reset after the request was sent, HTTP 5xx). The SDK keeps its retries,
 * backoff and retry-after handling; the marker header is removed before the request leaves.
 */
export function createAttemptMeter(): AttemptMeter {
  const calls = new Map<string, { hooks: AttemptHooks; controller: AbortController }>();
  let seq = 0;
  return {
    wrap: (inner) => async (input, init) => {
      const headers = new Headers(init?.headers);
      const id = headers.get(HEADER);
      const call = id ? calls.get(id) : undefined;
      if (!id) return inner(input, init);
      headers.delete(HEADER);
      if (call && !call.hooks.before(Number(headers.get('x-stainless-retry-count') ?? 0))) {
        call.controller.abort(new Error('stopped by the budget'));
        throw new DOMException('stopped by the budget', 'AbortError');
      }
      try {
        const res = await inner(input, { ...init, headers });
        call?.hooks.after(classifyStatus(res.status));
        return res;
      } catch (err) {
        call?.hooks.after(notSent(err) ? 'not_billed' : 'maybe_billed');
        throw err;
      }
    },
    register(hooks, signal): { headers: Record<string, string>; signal: AbortSignal; done(): void } {
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      const none: Record<string, string> = {};
      if (!hooks)
        return {
          headers: none,
          signal: controller.signal,
          done: () => {
            signal?.removeEventListener('abort', onAbort);
          },
        };
      const id = `c${++seq}`;
      calls.set(id, { hooks, controller });
      return {
        headers: { [HEADER]: id },
        signal: controller.signal,
        done: () => {
          calls.delete(id);
          signal?.removeEventListener('abort', onAbort);
        },
      };
    },
  };
}

function classifyStatus(status: number): AttemptOutcome {
  if (status < 400) return 'answered';
  return status >= 500 ? 'maybe_billed' : 'not_billed';
}

function notSent(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
    e = e.cause;
  }
  return false;
}
