import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/main.js';
import { DatabaseError } from '../errors.js';
import { resolveDbTarget } from './resolve-db-target.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'dw-dburl-'));

describe('resolveDbTarget', () => {
  it('keeps the default embedded folder, PostgreSQL URLs, memory: and folder paths', () => {
    const cwd = folder();
    expect(resolveDbTarget(undefined, cwd)).toEqual({ kind: 'folder', dir: path.join(cwd, '.driftwatch', 'db') }); // created on first use, parents too
    expect(resolveDbTarget('postgres://u:p@h:5432/db', cwd)).toEqual({ kind: 'pg', url: 'postgres://u:p@h:5432/db' });
    expect(resolveDbTarget('postgresql://h/db', cwd).kind).toBe('pg');
    expect(resolveDbTarget('memory:', cwd)).toEqual({ kind: 'memory' });
    expect(resolveDbTarget('db', cwd)).toEqual({ kind: 'folder', dir: path.join(cwd, 'db') }); // new, parent exists
    expect(resolveDbTarget(`file:${cwd}/db`, cwd)).toEqual({ kind: 'folder', dir: path.join(cwd, 'db') });
    mkdirSync(path.join(cwd, 'empty'));
    expect(resolveDbTarget('empty', cwd).kind).toBe('folder');
  });

  it.each([
    ['postgress://user:secret@db:5432/x', /unknown scheme "postgress:"/],
    ['postgre://db/x', /unknown scheme "postgre:"/],
    ['localhost:5432/x', /unknown scheme "localhost:"/],
    ['mysql://db/x', /unknown scheme "mysql:"/],
    ['memory', /scheme without its ":" \(memory:\)/],
    ['postgres', /scheme without its ":"/],
    ['no/such/parent/db', /folder .*no\/such\/parent does not exist/],
  ])('refuses %s with exit 2', (value, message) => {
    const err = (() => {
      try {
        resolveDbTarget(value, folder(), '--db');
      } catch (e) {
        return e as DatabaseError;
      }
    })();
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err?.exitCode).toBe(2);
    expect(err?.message).toMatch(message);
    expect(err?.message).toMatch(/^--db /);
    expect(err?.message).not.toContain('secret');
  });

  it('refuses a file and a folder that holds something other than a database', () => {
    const cwd = folder();
    writeFileSync(path.join(cwd, 'notes.txt'), 'x');
    mkdirSync(path.join(cwd, 'src'));
    writeFileSync(path.join(cwd, 'src', 'a.ts'), 'x');
    expect(() => resolveDbTarget('notes.txt', cwd)).toThrow(/is a file, not a folder/);
    expect(() => resolveDbTarget('src', cwd)).toThrow(/other files in it, not an embedded database/);
  });
});

describe('driftwatch with a mistyped database', () => {
  it.each([
    ['DATABASE_URL', 'postgress://x'],
    ['--db', 'postgress://x'],
    ['--db', 'postgresql:/x'],
  ])('%s=%s: exit 2 with a clear message, no folder created', async (from, value) => {
    const cwd = folder();
    let stderr = '';
    const argv = from === '--db' ? ['ingest', 'none.jsonl', '--db', value] : ['ingest', 'none.jsonl'];
    const env = from === 'DATABASE_URL' ? { DATABASE_URL: value } : {};
    const code = await main(argv, { stdout: () => {}, stderr: (s) => (stderr += s), env, cwd, isTty: false });
    expect(code).toBe(2);
    expect(stderr).toContain(`driftwatch ingest: ${from} "${value}": unknown scheme`);
    expect(readdirSync(cwd)).toEqual([]);
    expect(existsSync(path.join(process.cwd(), value.split('/')[0]))).toBe(false);
  });
});
