export type LogFormat = 'text' | 'json';

/**
 * How stderr logs are written. `--log-format` wins; else `--json` means JSON event lines; else
 * human text, except for commands that always logged JSON (the daemon) when stderr is no terminal.
 * `wrapMessages`: plain messages become `{"event":"message",...}` lines too (explicit
 * `--log-format json`, or a JSON-logging command); with only `--json` they stay plain text lines.
 */
export function resolveLogFormat(o: {
  flag: LogFormat | undefined;
  json: boolean;
  isTty: boolean;
  logsJson?: boolean;
}): {
  format: LogFormat;
  wrapMessages: boolean;
} {
  const format: LogFormat = o.flag ?? (o.json || (o.logsJson && !o.isTty) ? 'json' : 'text');
  return { format, wrapMessages: format === 'json' && (o.flag === 'json' || Boolean(o.logsJson)) };
}
