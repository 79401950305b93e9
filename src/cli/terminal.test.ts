import { describe, expect, it } from 'vitest';
import { alignTable, createPaint, formatDuration, useColor, visibleWidth } from './terminal.js';
import { resolveLogFormat } from './log-format.js';
import { createJudgeProgressLine, formatJudgeProgress } from './judge-progress-line.js';

describe('useColor', () => {
  it('colours only a TTY, never with NO_COLOR set to anything non-empty or TERM=dumb', () => {
    expect(useColor(true, {})).toBe(true);
    expect(useColor(false, {})).toBe(false);
    expect(useColor(true, { NO_COLOR: '1' })).toBe(false);
    expect(useColor(true, { NO_COLOR: 'yes' })).toBe(false);
    expect(useColor(true, { NO_COLOR: '' })).toBe(true); // no-color.org: only a non-empty value counts
    expect(useColor(true, { TERM: 'dumb' })).toBe(false);
    expect(createPaint(false).red('x')).toBe('x');
    expect(createPaint(true).red('x')).toBe('\x1b[31mx\x1b[39m');
  });
});

describe('alignTable', () => {
  it('pads by visible width, right-aligns numbers, and ignores colour codes', () => {
    const p = createPaint(true);
    const rows = alignTable(
      [
        [p.bold('class'), 'n', 'decision'],
        ['summarize', '1000', p.red('escalate')],
        ['x', '7', 'hold'],
      ],
      ['l', 'r', 'l'],
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips the SGR escapes under test
    const plain = rows.map((r) => r.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(plain).toEqual(['class         n  decision', 'summarize  1000  escalate', 'x             7  hold']);
    expect(visibleWidth(p.bold('abc'))).toBe(3);
  });
});

describe('resolveLogFormat', () => {
  it('is text by default on or off a terminal, json with --json or --log-format json, daemon json off a terminal', () => {
    expect(resolveLogFormat({ flag: undefined, json: false, isTty: true })).toEqual({
      format: 'text',
      wrapMessages: false,
    });
    expect(resolveLogFormat({ flag: undefined, json: false, isTty: false })).toEqual({
      format: 'text',
      wrapMessages: false,
    });
    expect(resolveLogFormat({ flag: undefined, json: true, isTty: true })).toEqual({
      format: 'json',
      wrapMessages: false,
    });
    expect(resolveLogFormat({ flag: 'json', json: false, isTty: true })).toEqual({
      format: 'json',
      wrapMessages: true,
    });
    expect(resolveLogFormat({ flag: 'text', json: true, isTty: false })).toEqual({
      format: 'text',
      wrapMessages: false,
    });
    expect(resolveLogFormat({ flag: undefined, json: false, isTty: false, logsJson: true })).toEqual({
      format: 'json',
      wrapMessages: true,
    });
    expect(resolveLogFormat({ flag: undefined, json: false, isTty: true, logsJson: true })).toEqual({
      format: 'text',
      wrapMessages: false,
    });
    expect(() => resolveLogFormat({ flag: 'yaml', json: false, isTty: true })).toThrow(
      /--log-format expects text or json/,
    );
  });
});

describe('judge progress line', () => {
  it('shows done/total, calls, spend of the budget and an ETA from the rate so far', () => {
    expect(formatJudgeProgress({ done: 50, total: 200, calls: 40, costUsd: 0.0123, maxCostUsd: 5 }, 10_000)).toBe(
      'judging 50/200 (25%)  40 calls  $0.0123 of $5.00  ETA 30s',
    );
    expect(formatJudgeProgress({ done: 2, total: 200, calls: 2, costUsd: 0 }, 1000)).toMatch(/ETA …$/);
    expect(formatJudgeProgress({ done: 200, total: 200, calls: 150, costUsd: 1 }, 75_000)).toMatch(/done in 1m15s$/);
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000)).toBe('2h05m');
  });

  it('redraws at most once per interval, always the last sample, then ends the line', () => {
    let t = 0;
    const drawn: string[] = [];
    let ended = 0;
    const update = createJudgeProgressLine({
      status: { set: (l) => drawn.push(l), end: () => ended++ },
      now: () => t,
      everyMs: 500,
    });
    for (let i = 1; i <= 100; i++) {
      t += 20; // 50 samples a second: 2,000 ms in all
      update({ done: i, total: 100, calls: i, costUsd: i / 1000 });
    }
    expect(drawn.length).toBeGreaterThanOrEqual(4);
    expect(drawn.length).toBeLessThanOrEqual(6);
    expect(drawn.at(-1)).toMatch(/^judging 100\/100 \(100%\) {2}100 calls {2}\$0\.1000 {2}done in 2s$/);
    expect(ended).toBe(1);
  });
});
