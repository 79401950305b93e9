import { JudgeError } from '../../errors.js';

/** Characters of a malformed reply kept for the sample's judge_error (redacted where it is stored). */
export const EXCERPT_CHARS = 200;

/**
 * Reads a 200 response body as JSON and hands it to `pick`; a body that is not JSON (an HTML page,
 * a truncated object) or lacks the fields `pick` needs is a retryable `malformed` JudgeError that
 * carries the body's first characters.
 */
export async function readReplyBody<T>(
  res: Response,
  what: string,
  pick: (json: unknown) => T | undefined,
): Promise<T> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(
      `${what} answered HTTP ${res.status} with a body that is not JSON (${res.headers.get('content-type') ?? 'no content-type'})`,
      text,
    );
  }
  const picked = pick(json);
  if (picked === undefined)
    throw malformed(`${what} answered HTTP ${res.status} with JSON that is not a completion`, text);
  return picked;
}

function malformed(message: string, body: string): JudgeError {
  return new JudgeError(message, { retryable: true, kind: 'malformed', excerpt: body.slice(0, EXCERPT_CHARS) });
}
