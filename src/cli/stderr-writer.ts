import type { StatusLine } from './judge-progress-line.js';

/** Where a command's log lines go: stderr, keeping a redrawn status line (judge progress) intact. */
export interface StderrWriter {
  /** One whole line; a status line being shown is cleared first and redrawn after. */
  line(text: string): void;
  status: StatusLine;
  /** A JSON log line; a JSON-logging command (daemon) adds its pid and the time. */
  json(event: string, fields: Record<string, unknown>): string;
}

/** The stderr writer of one command run. */
export function createStderrWriter(write: (s: string) => void, o: { logsJson?: boolean }): StderrWriter {
  let status = '';
  return {
    line(text) {
      if (status) write('\r\x1b[K');
      write(`${text}\n`);
      if (status) write(status);
    },
    status: {
      set(line) {
        status = line;
        write(`\r\x1b[K${line}`);
      },
      end() {
        if (status) write('\n');
        status = '';
      },
    },
    json: (event, fields) =>
      JSON.stringify(
        o.logsJson ? { pid: process.pid, event, ...fields, at: new Date().toISOString() } : { event, ...fields },
      ),
  };
}
