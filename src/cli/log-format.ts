import { InputError } from '../errors.js';

export type LogFormat = 'text' | 'json';

/**
 * How stderr logs are written. `--log-format` wins; else `--json` means JSON event lines; else
 * human text, except for commands that always logged JSON (the daemon) when stderr is no terminal.
 * `wrapMessages`: plain messages become `{"event":"message",...}` lines too (explicit
 * `--log-format json`, or a JSON-logging command); with only `--json` they stay plain text lines.
 */
export function resolveLogFormat(o: { flag: unknown; json: boolean; isTty: boolean; logsJson?: boolean }): {
  format: LogFormat;
  wrapMessages: boolean;
} {
  if (o.flag !== undefined && o.flag !== 'text' && o.flag !== 'json')
    throw new InputError(`--log-format expects text or json, got "${String(o.flag)}"`);
  const flag = o.flag as LogFormat | undefined;
  const format: LogFormat = flag ?? (o.json || (o.logsJson && !o.isTty) ? 'json' : 'text');
  return { format, wrapMessages: format === 'json' && (flag === 'json' || Boolean(o.logsJson)) };
}
