import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestPglite } from '../support/test-db.js';
import { storeRoutingEvents } from '../../src/ingest/store-events.js';
import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';
import { makeRoutingEvent } from '../support/make-events.js';
import { writeRoutingYaml } from '../support/nightly-fixture.js';
import { runJudgedNightly } from '../support/run-judged-nightly.js';

const KEY = 'sk-ant-api03-hostiletestkey0123456789abcdef';
const TASK = '<script>alert(1)</script>|x';
const REASON =
  'wrong ![x](http://evil/t.png) see [a](javascript:alert(1)) | <img src=x onerror=alert(2)>\n## injected heading';

/** Rows of each markdown table, as cell counts split on unescaped pipes (GFM's rule). */
function tableShapes(md: string): number[][] {
  const out: number[][] = [];
  let cur: number[] | null = null;
  for (const line of md.split('\n')) {
    if (line.startsWith('|')) {
      cur ??= [];
      cur.push(line.split(/(?<!\\)\|/).length - 2);
    } else if (cur) {
      out.push(cur);
      cur = null;
    }
  }
  if (cur) out.push(cur);
  return out;
}

describe('a nightly report over hostile task names, events and judge replies', () => {
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers) await c();
  });

  it('contains no raw HTML, no live link or image, and every table keeps its column count', async () => {
    const db = await createTestPglite();
    closers.push(() => db.close());
    const fake = await startFakeAnthropic({
      apiKey: KEY,
      judge: () => JSON.stringify({ verdict: 'fail', reason: REASON }),
    });
    closers.push(() => fake.close());
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-hostile-'));
    writeRoutingYaml(
      cwd,
      `version: 1\ntiers:\n  cheap: gpt-4o-mini\n  top: claude-3-5-sonnet-20241022\ntaskClasses:\n  ${JSON.stringify(TASK)}: { tier: cheap }\n`,
    );
    await storeRoutingEvents(
      db,
      Array.from({ length: 12 }, (_, i) =>
        makeRoutingEvent({
          id: `h-${i}<script>`,
          ts: new Date(Date.parse('2026-11-25T00:00:00Z') + i * 1000).toISOString(),
          taskType: TASK,
          model: 'gpt-4o-mini<b>',
          prompt: `<script>alert(${i})</script>`,
          response: `![t](http://evil/${i}.png) \`\`\`\n</code><script>x</script>`,
          reference: 'The refund arrives in five days.',
        }),
      ),
    );
    const r = await runJudgedNightly({
      db,
      cwd,
      provider: 'anthropic',
      model: 'claude-3-5-sonnet-20241022',
      env: { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url },
    });
    expect(r.json!.classes.find((c) => c.taskType === TASK)).toMatchObject({ judged: 12, failures: 12 });

    const md = readFileSync(r.reportFile!, 'utf8');
    expect(md).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\\|x'); // the class is shown, escaped
    expect(md).toContain('javascript:alert(1)'); // the reason is shown ...
    // ... but outside fenced blocks (literal text by the spec) nothing is live markup
    // driftwatch's own chart images are the only images: local SVGs beside the report, alt text escaped
    const charts = [...md.matchAll(/^!\[(.*)\]\(([^)\s]*)\)$/gm)];
    expect(charts.map((m) => m[2])).toEqual(['2026-11-26-nightly/trend.svg']);
    for (const m of charts) expect(m[1]).not.toMatch(/<|\]\(/);
    const prose = md
      .replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '')
      .replace(/^!\[.*\]\([\w.-]+-nightly\/[\w-]+\.svg\)$/gm, '');
    expect(prose).not.toMatch(/<script|<img|<b>/i);
    expect(prose).not.toContain('](javascript:');
    expect(prose).not.toContain('](http://evil');
    expect(prose).not.toContain('![');
    expect(prose).not.toMatch(/^## injected/m);
    for (const rows of tableShapes(md)) expect(new Set(rows).size, md).toBe(1);
  });
});
