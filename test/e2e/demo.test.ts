import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { findChromium, screenshotPage } from '../support/headless-chromium.js';
import { inspectChartSvg } from '../support/inspect-chart-svg.js';
import { writeReportHtml } from '../support/report-to-html.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/driftwatch.js');
/** Where the browser check leaves its screenshots for a person to look at. */
const SCREENSHOT_DIR = process.env.DRIFTWATCH_SCREENSHOT_DIR ?? tmpdir();

describe('driftwatch demo (what npm start runs)', () => {
  let cwd: string;
  let out: {
    report: string;
    charts: string[];
    classes: { taskType: string; decision: string }[];
    series: { trend: { classes: { taskType: string }[] } };
    [k: string]: unknown;
  };
  let report: string;
  beforeAll(() => {
    cwd = mkdtempSync(path.join(tmpdir(), 'dw-demo-'));
    const r = spawnSync(process.execPath, [BIN, 'demo', '--json'], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '', ANTHROPIC_API_KEY: '', OPENAI_API_KEY: '' },
    });
    expect(r.status, r.stderr).toBe(0);
    out = JSON.parse(r.stdout);
    report = readFileSync(path.join(cwd, out.report), 'utf8');
  });

  it('replays the recorded nights and reaches every decision the data supports', () => {
    expect(out.nights).toHaveLength(5);
    expect(out.judge).toMatchObject({ provider: 'offline', calls: 0 });

    // an escalation on evidence, applied to the demo's routing table with its comments
    expect(report).toMatch(
      /Night 1 \(\d{4}-\d\d-\d\d\): \*\*math\*\* on mixtral-8x7b failed \d+ of \d+ judged samples \(\d+\.\d%, 95% interval/,
    );
    const table = readFileSync(path.join(cwd, '.driftwatch', 'demo', 'routing.yaml'), 'utf8');
    expect(table).toMatch(/^version: 2$/m);
    expect(table).toMatch(/math: \{ tier: premium, escalatedFrom: cheap,.*# GSM8K word problems/);
    // a class with too few judged samples, and a pinned one that holds
    expect(out.classes.find((c) => c.taskType === 'chat')).toMatchObject({ decision: 'insufficient' });
    expect(out.classes.find((c) => c.taskType === 'classify')).toMatchObject({ decision: 'hold' });
    // trend chart, cache audit, compression choice
    expect(report).not.toContain('xychart-beta');
    expect(report).toMatch(/## Semantic cache/);
    expect(report).toMatch(/certified at|not certified/i);
    expect(report).toMatch(/## Compression \(XQuAD-en\)/);
    expect(report).toMatch(/tfidf/);
    expect(existsSync(path.join(cwd, '.driftwatch', 'demo', 'db'))).toBe(true);
  });

  it('writes every chart beside the report, linked with alt text, and --json carries their series', () => {
    const base = path.basename(out.report, '.md');
    expect(out.charts).toEqual([`${base}/trend.svg`, `${base}/compression.svg`, `${base}/cache-false-hits.svg`]);
    for (const c of out.charts) {
      expect(report).toMatch(new RegExp(`!\\[[^\\]]{40,}\\]\\(${c.replace(/[.+]/g, '\\$&')}\\)`));
      expect(existsSync(path.join(cwd, path.dirname(out.report), c))).toBe(true);
    }
    expect(out.series.trend.classes.map((c) => c.taskType)).toEqual(['math', 'chat', 'classify']);
  });

  it("checks each chart's SVG: every class or method named, threshold and interval bands drawn, chat (no data) has no line at 0", () => {
    const svg = (name: string) =>
      inspectChartSvg(
        readFileSync(path.join(cwd, path.dirname(out.report), path.basename(out.report, '.md'), name), 'utf8'),
      );
    const trend = svg('trend.svg');
    expect(trend.titles).toEqual(expect.arrayContaining(['math', 'chat: no data', 'classify']));
    expect(trend.labels.filter((l) => l === 'threshold 3.03%')).toHaveLength(3);
    for (const c of ['math', 'classify']) {
      expect(trend.pathOf(`${c}: 95% interval band`), c).toMatch(/^M.+Z$/);
      expect(trend.pathOf(`${c}: error-rate line`), c).toMatch(/^M/);
      expect(trend.labels.filter((l) => l.startsWith(`${c}, run`) && / n = \d+/.test(l))).toHaveLength(5);
    }
    expect(trend.pathOf('chat: error-rate line')).toBeUndefined();
    expect(trend.pathOf('chat: 95% interval band')).toBeUndefined();
    expect(trend.labels.filter((l) => l.startsWith('chat, run'))).toEqual([]);
    expect(trend.texts).toContain('escalated'); // math on night 1

    const compression = svg('compression.svg');
    for (const m of ['tfidf', 'structural', 'tfidf+dedup']) {
      expect(compression.titles).toContain(m);
      expect(compression.labels.filter((l) => l.startsWith(`${m} at ratio`))).toHaveLength(4);
      expect(compression.labels).toContain(`${m}: 95% interval`);
    }
    expect(compression.labels.filter((l) => l.startsWith('baseline '))).toHaveLength(3);
    expect(compression.labels.filter((l) => l === 'accepted drop 5 points')).toHaveLength(3);

    const cache = svg('cache-false-hits.svg');
    expect(cache.titles.some((t) => /^support: (certified at [\d.]+|not certified)$/.test(t))).toBe(true);
    expect(cache.labels.filter((l) => l === 'target 1.00%')).toHaveLength(1);
    expect(cache.labels.filter((l) => l.startsWith('support at threshold')).length).toBeGreaterThan(5);
    expect(cache.texts).toContain('now 0.92');
  });

  const chromium = findChromium();
  it(`opens the report as HTML in headless Chromium with every chart loaded, and saves a screenshot${chromium ? '' : ' (SKIPPED: chromium not found)'}`, async (ctx) => {
    if (!chromium) {
      const why =
        'chromium not found at /usr/bin/chromium (apt-get install -y --no-install-recommends chromium, or set CHROMIUM_PATH): browser check skipped';
      console.warn(why);
      ctx.skip(why);
      return;
    }
    const html = writeReportHtml(path.join(cwd, out.report), report);
    const png = path.join(SCREENSHOT_DIR, `driftwatch-demo-report-${process.pid}.png`);
    const images = await screenshotPage(chromium, html, { png, width: 800, perImage: png.replace(/\.png$/, '-chart') });
    expect(images.map((i) => i.src).sort()).toEqual([...out.charts].sort());
    for (const i of images) {
      expect(i, i.src).toMatchObject({ loaded: true });
      expect(i.alt.length).toBeGreaterThan(40);
      expect(i.width).toBeGreaterThan(600); // readable at the page's width, not a thumbnail
      expect(i.shownWidth).toBeLessThanOrEqual(760);
    }
    expect(statSync(png).size).toBeGreaterThan(50_000);
    console.log(`screenshot of the demo report: ${png} (charts: ${png.replace(/\.png$/, '-chart-N.png')})`);
  });
});
