/** Colour and layout for a terminal; everything here is pure (the CLI passes in isTty and env). */

/** SGR styles used by the CLI; each is the identity when colour is off. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
}

/**
 * Colour only on a terminal, never when NO_COLOR is set to anything non-empty (no-color.org),
 * nor for TERM=dumb.
 */
export function useColor(isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  if (!isTty) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return env.TERM !== 'dumb';
}

export function createPaint(color: boolean): Paint {
  const sgr = (open: number, close: number) => (s: string) =>
    color && s !== '' ? `\x1b[${open}m${s}\x1b[${close}m` : s;
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };
}

/** Visible width of a string: SGR sequences take no columns. */
export function visibleWidth(s: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the SGR escapes this module writes
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

/**
 * Aligns rows into columns separated by two spaces: `align[i]` 'r' right-aligns column i (numbers),
 * anything else left-aligns. Cells may carry colour; widths count visible characters only.
 */
export function alignTable(rows: string[][], align: ('l' | 'r')[] = []): string[] {
  const widths: number[] = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(c));
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = ' '.repeat(widths[i] - visibleWidth(c));
        if (align[i] === 'r') return pad + c;
        return i === r.length - 1 ? c : c + pad;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** 75 s -> "1m15s"; under a minute "42s"; hours "2h05m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
