import { mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLockFile, lockFileSync } from './lock-file.js';

const lockIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'dw-lockfile-')), 'x.lock');
const heldError = (owner: { pid: number } | null) => new Error(`held by ${owner ? owner.pid : 'unknown'}`);
// a pid far above any pid_max: no such process
const DEAD_PID = 2 ** 30;

describe('lockFileSync / acquireLockFile', () => {
  it('writes our pid and host, refuses a second taker with heldError, and frees the file on release', () => {
    const lock = lockIn();
    const release = lockFileSync(lock, { heldError });
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => lockFileSync(lock, { heldError })).toThrow(`held by ${process.pid}`);
    release();
    expect(existsSync(lock)).toBe(false);
    lockFileSync(lock, { heldError })();
  });

  it("takes over a dead holder's lock, in JSON or as the bare pid older versions wrote", () => {
    for (const text of [JSON.stringify({ pid: DEAD_PID, host: hostname(), at: 'then' }), `${DEAD_PID}\n`]) {
      const lock = lockIn();
      writeFileSync(lock, text);
      const release = lockFileSync(lock, { heldError });
      expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
      release();
    }
  });

  it('leaves a fresh unreadable lock (a holder between create and write) alone, and takes it over after 30 s', () => {
    const lock = lockIn();
    writeFileSync(lock, '');
    expect(() => lockFileSync(lock, { heldError })).toThrow('held by unknown');
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    lockFileSync(lock, { heldError })();
  });

  it('does not remove a lock another holder took after ours was taken over', () => {
    const lock = lockIn();
    const release = lockFileSync(lock, { heldError });
    writeFileSync(lock, JSON.stringify({ pid: 1, host: 'elsewhere', at: 'now' }));
    release();
    expect(existsSync(lock)).toBe(true);
  });

  it('waits for a live holder up to timeoutMs, polling with the injected sleep, then throws heldError', async () => {
    const lock = lockIn();
    const release = await acquireLockFile(lock, { heldError });
    let slept = 0;
    const sleep = async () => {
      slept++;
      if (slept === 3) release();
    };
    const second = await acquireLockFile(lock, { heldError, timeoutMs: 60_000, sleep });
    expect(slept).toBe(3);
    await expect(acquireLockFile(lock, { heldError, timeoutMs: 0 })).rejects.toThrow(`held by ${process.pid}`);
    second();
  });
});
