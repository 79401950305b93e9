/**
 * Why a fetch wrapper and not our own retry loop: the SDKs' retry logic already handles
 * 408/409/429/5xx, connection errors, timeouts, `x-stainless-retry-count` and jittered backoff,
 * and it honours `retry-after-ms` / `retry-after`. What it lacks is a cap. This wrapper only
 * looks at the retry-after of a failed response: when the server asks for a longer wait than
 * `maxWaitMs`, it adds `x-should-retry: false`, so the SDK gives up at once with a typed error
 * (mapped to a retryable JudgeError; the sample stays pending for the next run) instead of
 * sleeping for an hour. Waits at or under the cap are honoured exactly as the server asked.
 */
export function capRetryAfter(maxWaitMs: number, inner: typeof fetch = fetch): typeof fetch {
  return async (input, init) => {
    const res = await inner(input, init);
    if (res.ok) return res;
    const waitMs = parseRetryAfterMs(res.headers, Date.now());
    if (waitMs === undefined || waitMs <= maxWaitMs) return res;
    const headers = new Headers(res.headers);
    headers.set('x-should-retry', 'false');
    headers.set('x-driftwatch-retry-after-ms', String(Math.round(waitMs)));
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  };
}

/** The wait a response asks for, from `retry-after-ms`, else `retry-after` (seconds or HTTP date). */
export function parseRetryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
