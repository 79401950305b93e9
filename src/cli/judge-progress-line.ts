import type { JudgeProgress } from '../judge/judge-run-types.js';
import { formatDuration, type Paint } from './terminal.js';

/**
 * One progress line: samples done of total, calls, spend (of the budget) and an ETA from the
 * rate so far. No ETA until a few samples are done (a rate from one sample says nothing).
 */
export function formatJudgeProgress(p: JudgeProgress, elapsedMs: number, paint?: Paint): string {
  const total = Math.max(p.total, p.done);
  const share = total > 0 ? ` (${Math.floor((100 * p.done) / total)}%)` : '';
  const spend = `$${p.costUsd.toFixed(4)}${p.maxCostUsd !== undefined ? ` of $${p.maxCostUsd.toFixed(2)}` : ''}`;
  const left = total - p.done;
  const eta =
    p.done >= 5 && elapsedMs > 0 && left > 0
      ? `ETA ${formatDuration((elapsedMs / p.done) * left)}`
      : left === 0
        ? `done in ${formatDuration(elapsedMs)}`
        : 'ETA …';
  const b = paint?.bold ?? ((s: string) => s);
  return `judging ${b(`${p.done}/${total}`)}${share}  ${p.calls} calls  ${spend}  ${eta}`;
}

/** What createJudgeProgressLine writes to: a status line redrawn in place on stderr. */
export interface StatusLine {
  set(line: string): void;
  /** Keeps the current line (newline) and stops redrawing it. */
  end(): void;
}

/**
 * Throttles judge progress into a status line: at most one redraw per `everyMs` (default 500 ms),
 * and always the last sample, so a terminal shows calls, spend and ETA without flooding.
 */
export function createJudgeProgressLine(o: {
  status: StatusLine;
  now: () => number;
  everyMs?: number;
  paint?: Paint;
}): (p: JudgeProgress) => void {
  const every = o.everyMs ?? 500;
  let started: number | undefined;
  let last = -Infinity;
  return (p) => {
    const t = o.now();
    started ??= t;
    const finished = p.done >= p.total;
    if (!finished && t - last < every) return;
    last = t;
    o.status.set(formatJudgeProgress(p, t - started, o.paint));
    if (finished) o.status.end();
  };
}
