import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

import { startFakeAnthropic } from '../support/fakes/fake-anthropic-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const BIN = path.join(ROOT, 'bin', 'driftwatch.js');

/** The fenced block of `lang` that follows `heading` in the README. */
function blockAfter(heading: string, lang: string): string {
  const at = README.indexOf(heading);
  expect(at, `README has "${heading}"`).toBeGreaterThanOrEqual(0);
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(README.slice(at));
  expect(m, `a \`\`\`${lang} block after "${heading}"`).not.toBeNull();
  return m![1];
}

/** Runs one README shell line in `cwd`, with `npx driftwatch` meaning this checkout's bin. */
function runLine(line: string, cwd: string) {
  const words = line
    .replace(/\s+#.*$/, '')
    .trim()
    .split(/\s+/);
  if (words[0] === 'cp') {
    cpSync(path.join(cwd, words[1]), path.join(cwd, words[2]));
    return { status: 0, stdout: '', stderr: '' };
  }
  expect(words.slice(0, 2)).toEqual(['npx', 'driftwatch']);
  return spawnSync(process.execPath, [BIN, ...words.slice(2)], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
  });
}

describe('README', () => {
  it('shows the two quick-start commands', () => {
    expect(README).toContain('npm ci && npm start');
    expect(README).toMatch(/^npm test\b/m);
  });

  it('runs the command tour as written, in order', () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-readme-'));
    cpSync(path.join(ROOT, 'examples'), path.join(cwd, 'examples'), { recursive: true });
    const lines = blockAfter('### Try the commands on recorded events', 'sh')
      .split('\n')
      .filter((l) => l.trim() !== '');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      const r = runLine(line, cwd);
      const expected = line.includes('--fail-on-escalation') ? 3 : 0; // the README says it exits 3
      expect(r.status, `${line}\n${r.stderr}`).toBe(expected);
    }
    const table = readFileSync(path.join(cwd, 'routing.yaml'), 'utf8');
    expect(table).toMatch(/^version: 2$/m);
    expect(table).toContain('# GSM8K word problems (examples/events.jsonl)');
    expect(readFileSync(path.join(cwd, 'reports', 'tour.md'), 'utf8')).toMatch(/math/);
  });

  it('shows examples/log-events.ts verbatim, and it runs', () => {
    const code = readFileSync(path.join(ROOT, 'examples', 'log-events.ts'), 'utf8').trim();
    expect(blockAfter('### From TypeScript', 'ts').trim()).toBe(code);
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'examples', 'log-events.ts')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(out).toMatch(/^routed math to mixtral-8x7b; events in /);
  });

  it('shows examples/batch-queue.ts verbatim, and it answers each caller through the Anthropic batch API', async () => {
    const code = readFileSync(path.join(ROOT, 'examples', 'batch-queue.ts'), 'utf8').trim();
    expect(blockAfter('### Batch requests from an application', 'ts').trim()).toBe(code);
    const fake = await startFakeAnthropic({ pollsUntilEnded: 0, judge: ({ prompt }) => `answer to: ${prompt}` });
    try {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ANTHROPIC_API_KEY: 'sk-ant-readme-000000000',
        ANTHROPIC_BASE_URL: fake.url,
      };
      delete env.DATABASE_URL; // the example's in-memory database
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'examples', 'batch-queue.ts')],
        { cwd: ROOT, encoding: 'utf8', env },
      );
      expect(stdout.trim().split('\n')).toEqual([
        'What is 17 * 3? -> answer to: What is 17 * 3?',
        'Name the capital of Peru. -> answer to: Name the capital of Peru.',
        'How many legs has a spider? -> answer to: How many legs has a spider?',
      ]);
      expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches')).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it('has a Python snippet whose events driftwatch ingests', () => {
    const py = blockAfter('### From any language', 'python');
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-readme-py-'));
    const file = path.join(cwd, 'events.jsonl');
    execFileSync('python3', [
      '-c',
      `${py}\nlog_routing_event(${JSON.stringify(file)}, "classify", "gpt-4o-mini", "Classify: where is my card?", "card_arrival", 12, 2)\nlog_routing_event(${JSON.stringify(file)}, "classify", "gpt-4o-mini", "Classify: refund", "refund")`,
    ]);
    const r = spawnSync(process.execPath, [BIN, 'ingest', file, '--json', '--db', 'memory:'], {
      cwd,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ routing: 2, cache: 0, duplicates: 0 });
  });
});
