import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type MainIo } from '../../src/cli/main.js';
import type { Db } from '../../src/db/db.js';
import { createTestPg, TEST_PG_URL } from '../support/test-db.js';
import { writeE2eEvents, writeRoutingYaml } from '../support/nightly-fixture.js';

async function run(args: string[], cwd: string, isTty: boolean) {
  let stdout = '';
  let stderr = '';
  const io: MainIo = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env: {},
    cwd,
    isTty,
  };
  return { code: await main(args, io), stdout: () => stdout, stderr: () => stderr };
}

// The server raises a NOTICE on every row driftwatch writes to `runs` (a trigger), and one more from
// a DO block on each new connection's first statement would be indistinguishable: the trigger is enough.
describe.skipIf(!TEST_PG_URL)('server notices never reach --json stdout (PostgreSQL)', () => {
  let db: Db & { url: string };
  let cwd: string;
  beforeAll(async () => {
    db = await createTestPg();
    await db.exec(`
      create function dw_test_notice() returns trigger language plpgsql as $$
      begin
        raise notice 'dw test notice: % row written', tg_table_name;
        raise warning 'dw test warning: % row written', tg_table_name;
        return new;
      end $$;
      create trigger dw_test_notice after insert or update on runs for each row execute function dw_test_notice();
      do $$ begin raise notice 'dw test notice from a DO block'; end $$;`);
    cwd = mkdtempSync(path.join(tmpdir(), 'dw-notice-'));
    writeRoutingYaml(cwd);
    writeE2eEvents(path.join(cwd, 'events.jsonl'));
    const r = await run(['ingest', path.join(cwd, 'events.jsonl'), '--db', db.url], cwd, false);
    expect(r.code, r.stderr()).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await db?.close();
  });

  it.each([false, true])(
    'nightly --json (TTY %s): stdout is exactly one JSON object; the notices are on stderr',
    async (isTty) => {
      const r = await run(['nightly', '--rate', '1', '--json', '--db', db.url], cwd, isTty);
      expect(r.code, r.stderr()).toBe(0);
      const out = r.stdout();
      expect(out.endsWith('\n')).toBe(true);
      expect(out.trimEnd().split('\n')).toHaveLength(1);
      const parsed = JSON.parse(out) as unknown;
      expect(parsed).toMatchObject({ runId: expect.any(String), classes: expect.any(Array) });
      expect(out).not.toMatch(/dw test/);
      expect(r.stderr()).toMatch(/server NOTICE: dw test notice: runs row written/);
      expect(r.stderr()).toMatch(/server WARNING: dw test warning: runs row written/);
    },
    300_000,
  );

  it('--log-format json writes the notice as a db_notice JSON line', async () => {
    const r = await run(['nightly', '--rate', '1', '--json', '--log-format', 'json', '--db', db.url], cwd, false);
    expect(r.code, r.stderr()).toBe(0);
    JSON.parse(r.stdout());
    const lines = r
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { event: string; message?: string });
    expect(lines.find((l) => l.event === 'db_notice' && /dw test notice: runs/.test(l.message ?? ''))).toBeDefined();
  }, 300_000);
});
