import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.js';
import { createTestPg, TEST_PG_URL, testDbAdapters } from '../../test/support/test-db.js';
import { main } from '../cli/main.js';
import { loadRoutingTable } from '../routing/routing-table.js';
import { applyRoutingChanges } from './apply-routing-changes.js';
import { recoverOnOpen } from './recover-on-open.js';
import { recordIntent, recoverRoutingIntents } from './routing-intents.js';
import { contentHash } from '../fs/write-file-atomic.js';

const TABLE = `# hand-written
version: 1
tiers: { trivial: cheap-1, standard: mid-1 }
taskClasses:
  classify: { tier: trivial }   # hot path
`;
const CHILD = fileURLToPath(new URL('../../test/support/apply-routing-child.ts', import.meta.url));
const NOW = new Date('2026-11-26T03:00:00Z');
const ESCALATE = {
  taskType: 'classify',
  kind: 'escalate' as const,
  fromTier: 'trivial',
  to: 'standard',
  reason: 'drift',
};

function tableFile(text = TABLE): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dw-crash-')), 'routing.yaml');
  writeFileSync(file, text);
  return file;
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  return r.pid!;
}

async function until<T>(what: string, f: () => Promise<T | undefined>, ceilingMs = 60_000): Promise<T> {
  const deadline = Date.now() + ceilingMs;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the child applier, waits until it reports the pause point, SIGKILLs it there. */
async function killAt(file: string, url: string, point: 'before-rename' | 'after-rename'): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, '0', url], {
    env: { ...process.env, DRIFTWATCH_TEST_APPLY_PAUSE: point },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  await until(`the child to pause ${point}`, async () =>
    out.includes('"paused"')
      ? true
      : child.exitCode !== null
        ? Promise.reject(new Error(`child exited: ${out}`))
        : undefined,
  );
  child.kill('SIGKILL');
  await exited;
}

describe.skipIf(!TEST_PG_URL)('apply crash window on PostgreSQL', () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestPg();
  });
  afterAll(async () => db?.close());

  it('SIGKILL between intent and rename, or between rename and commit: after a restart the file and the audit agree, 20 times out of 20', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 20; i++) {
      const file = tableFile();
      const point = i % 2 === 0 ? 'after-rename' : 'before-rename';
      await killAt(file, (db as Db & { url: string }).url, point);
      // The restart: what every command runs once the database is open (retried while the dead
      // session's advisory lock is still being released by the server).
      await until('the intent to be resolved', async () => {
        await recoverRoutingIntents(db, [file]);
        const left = await db.query(`select 1 from routing_intents where path = $1 and status = 'pending'`, [file]);
        return left.rows.length === 0 ? true : undefined;
      });
      const onDisk = readFileSync(file, 'utf8');
      const version = loadRoutingTable(file).table.version;
      const audit = await db.query<{ action: string; details: { version: number } }>(
        `select action, details from audit_log where details->>'file' = $1 order by id`,
        [file],
      );
      const versions = await db.query<{ version: number; content: string }>(
        `select version, content from routing_versions where path = $1 order by version`,
        [file],
      );
      if (version === 2) {
        expect(audit.rows.map((a) => a.action)).toEqual(['escalate']);
        expect(audit.rows[0].details.version).toBe(2);
        expect(versions.rows.map((v) => v.version)).toEqual([1, 2]);
        expect(versions.rows[1].content).toBe(onDisk);
      } else {
        expect(onDisk).toBe(TABLE);
        expect(audit.rows.map((a) => a.action)).toEqual(['apply_rolled_back']);
        expect(versions.rows).toEqual([]);
      }
      expect(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      outcomes.push(`${point}:v${version}`);
    }
    expect(outcomes.filter((o) => o === 'after-rename:v2')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'before-rename:v1')).toHaveLength(10);
  }, 600_000);
});

describe.each(testDbAdapters.filter((a) => a.enabled))('start-up recovery on $name', ({ create }) => {
  let db: Db;
  beforeAll(async () => {
    db = await create();
  });
  afterAll(async () => db?.close());

  it('a completed apply leaves its intent done', async () => {
    const file = tableFile();
    const r = await applyRoutingChanges({ file, changes: [ESCALATE], apply: true, now: NOW, db, actor: 'test' });
    expect(r.written).toBe(true);
    const intents = await db.query<{ status: string }>(`select status from routing_intents where path = $1`, [file]);
    expect(intents.rows).toEqual([{ status: 'done' }]);
  });

  it('an intent whose file was edited by hand after the crash is audited as interrupted with its diff', async () => {
    const file = tableFile();
    const newText = TABLE.replace('version: 1', 'version: 2');
    await recordIntent(db, {
      path: file,
      oldVersion: 1,
      newVersion: 2,
      oldContent: TABLE,
      newContent: newText,
      diff: '-version: 1\n+version: 2\n',
      reason: 'classify: trivial -> standard (drift)',
      actor: 'test',
      runId: null,
      audit: [{ action: 'escalate', taskType: 'classify', details: { file } }],
      at: NOW,
    });
    writeFileSync(file, TABLE.replace('# hand-written', '# edited after the crash'));
    const rec = await recoverRoutingIntents(db, [file]);
    expect(rec.interrupted).toHaveLength(1);
    const audit = await db.query<{ action: string; details: { diff: string; reason: string } }>(
      `select action, details from audit_log where details->>'file' = $1`,
      [file],
    );
    expect(audit.rows).toEqual([
      {
        action: 'apply_interrupted',
        details: expect.objectContaining({
          diff: '-version: 1\n+version: 2\n',
          reason: expect.stringMatching(/neither the old nor the new content/),
        }),
      },
    ]);
    expect((await recoverRoutingIntents(db, [file])).interrupted).toEqual([]); // resolved once
  });

  it('the next apply of the table completes a write a dead process left after its rename, before its own', async () => {
    const file = tableFile();
    const newText = TABLE.replace('version: 1', 'version: 2').replace('{ tier: trivial }', '{ tier: standard }');
    await recordIntent(db, {
      path: file,
      oldVersion: 1,
      newVersion: 2,
      oldContent: TABLE,
      newContent: newText,
      diff: 'd',
      reason: 'r',
      actor: 'dead',
      runId: null,
      audit: [{ action: 'escalate', taskType: 'classify', details: { file, version: 2 } }],
      at: NOW,
    });
    writeFileSync(file, newText); // the dead process had renamed
    const r = await applyRoutingChanges({
      file,
      changes: [{ ...ESCALATE, kind: 'deescalate', fromTier: 'standard', to: 'trivial' }],
      apply: true,
      now: NOW,
      db,
      expectedVersion: 2,
    });
    expect(r).toMatchObject({ written: true, newVersion: 3 });
    const audit = await db.query<{ action: string; actor: string }>(
      `select action, actor from audit_log where details->>'file' = $1 order by id`,
      [file],
    );
    expect(audit.rows).toEqual([
      { action: 'escalate', actor: 'dead' },
      { action: 'deescalate', actor: 'cli' },
    ]);
  });

  it('closes a running run whose process is gone as aborted, and leaves a live one running', async () => {
    const dead = deadPid();
    await db.query(
      `insert into runs (id, kind, pid, host) values ('stale-run', 'nightly', $1, $2), ('live-run', 'judge', $3, $2)`,
      [dead, hostname(), process.pid],
    );
    const rec = await recoverOnOpen(db, { log: () => {} });
    expect(rec.abortedRuns).toEqual(['stale-run']);
    const rows = await db.query<{ id: string; status: string; summary: { error: string } | null }>(
      `select id, status, summary from runs where id in ('stale-run', 'live-run') order by id`,
    );
    expect(rows.rows.map((x) => [x.id, x.status])).toEqual([
      ['live-run', 'running'],
      ['stale-run', 'aborted'],
    ]);
    expect(rows.rows[1].summary?.error).toContain(`pid ${dead}`);
  });

  it('removes temp files of dead writers beside the table, not those of live ones', async () => {
    const file = tableFile();
    const dir = path.dirname(file);
    writeFileSync(path.join(dir, `.routing.yaml.${deadPid()}.0badc0de.tmp`), 'half');
    writeFileSync(path.join(dir, `.routing.yaml.${process.pid}.12345678.tmp`), 'being written');
    const rec = await recoverOnOpen(db, { routingTable: file, log: () => {} });
    expect(rec.tempFilesRemoved).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual([`.routing.yaml.${process.pid}.12345678.tmp`, 'routing.yaml']);
  });

  it('refuses with exit 2 when the file was edited since it was read, and keeps the edit', async () => {
    const file = tableFile();
    const readHash = contentHash(readFileSync(file, 'utf8'));
    const edited = TABLE.replace('classify: { tier: trivial }', 'classify: { tier: trivial, pinned: true }');
    writeFileSync(file, edited); // a human pins the class while the nightly judges
    const err = await applyRoutingChanges({
      file,
      changes: [ESCALATE],
      apply: true,
      now: NOW,
      db,
      expectedVersion: 1,
      expectedHash: readHash,
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'routing_changed', exitCode: 2 });
    expect((err as Error).message).toMatch(/was edited since driftwatch read it .*the edit is kept/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('the CLI recovers at start', () => {
  it('a command on the database closes a dead run and removes leftover temp files of the configured table', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'dw-crash-cli-'));
    writeFileSync(path.join(cwd, 'routing.yaml'), TABLE);
    const io = { stdout: () => {}, stderr: (s: string) => (err += s), env: {}, cwd, isTty: false };
    let err = '';
    expect(await main(['migrate', '--db', 'db'], io)).toBe(0);
    const { openDb } = await import('../db/open-db.js');
    const db = await openDb('db', cwd);
    await db.query(`insert into runs (id, kind, pid, host) values ('killed-nightly', 'nightly', $1, $2)`, [
      deadPid(),
      hostname(),
    ]);
    await db.close();
    const tmp = path.join(cwd, `.routing.yaml.${deadPid()}.deadbeef.tmp`);
    writeFileSync(tmp, 'half');
    expect(await main(['migrate', '--db', 'db'], io)).toBe(0);
    expect(err).toContain('closed 1 run(s) whose process had ended as aborted: killed-nightly');
    expect(existsSync(tmp)).toBe(false);
    const again = await openDb('db', cwd);
    expect((await again.query<{ status: string }>(`select status from runs where id = 'killed-nightly'`)).rows).toEqual(
      [{ status: 'aborted' }],
    );
    await again.close();
  }, 300_000); // two migrations of a fresh embedded database
});
