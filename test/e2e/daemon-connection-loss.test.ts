import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestPg, terminateBackends, TEST_PG_URL } from '../support/test-db.js';
import { ingestFile } from '../../src/ingest/ingest-file.js';
import { compiledCliEnv, spawnCli, WAIT_CEILING_MS, waitFor, type CliChild } from '../support/spawn-cli.js';
import { writeE2eEvents, writeRoutingYaml } from '../support/nightly-fixture.js';

const events = (c: CliChild, name: string) => c.lines.filter((l) => l.event === name);
const texts = (c: CliChild) => c.lines.map((l) => JSON.stringify(l)).join('\n');

describe.skipIf(!TEST_PG_URL)(
  'driftwatch daemon when PostgreSQL ends its sessions (pg_terminate_backend, child processes of the compiled CLI)',
  () => {
    it('three workers whose connections are terminated three times mid-run all carry on; every sample is judged once', {
      timeout: 600_000,
    }, async () => {
      // through dist/: the compiled CLI once failed here while the source passed (test/compiled-emit.test.ts)
      const env = compiledCliEnv();
      const db = await createTestPg();
      const cwd = mkdtempSync(path.join(tmpdir(), 'dw-workers-drop-'));
      const workers = [0, 1, 2].map(() =>
        spawnCli(['daemon', '--role', 'worker', '--interval', '200ms', '--db', db.url], { cwd, env }),
      );
      try {
        await waitFor(() => workers.every((w) => events(w, 'cycle').length > 0), WAIT_CEILING_MS, 'three idle workers');
        await db.exec(`
        insert into routing_events (id, ts, task_type, model, prompt, response, reference)
          select 'w-' || g, timestamptz '2026-11-25T00:00:00Z' + g * interval '1 second', 'classify', 'gpt-4o-mini',
                 'Classify ticket ' || g, case when g % 50 = 0 then 'shipping' else 'billing' end, 'billing'
            from generate_series(1, 6000) g;
        insert into samples (source, event_id, task_type, reason, event_ts)
          select 'routing', id, task_type, 'routing', ts from routing_events;`);
        // the test's own sessions are ended too: its reads must not depend on the code under test retrying
        const judged = async (): Promise<number> => {
          for (;;) {
            try {
              return (await db.query<{ n: number }>(`select count(*)::int as n from judgments`)).rows[0]!.n;
            } catch {
              await new Promise((r) => setTimeout(r, 50));
            }
          }
        };
        const sessions = async (): Promise<number> => {
          for (;;) {
            try {
              return (
                await db.query<{ n: number }>(
                  `select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`,
                )
              ).rows[0]!.n;
            } catch {
              await new Promise((r) => setTimeout(r, 50));
            }
          }
        };
        const kills: { at: number; judged: number; sessions: number }[] = [];
        for (const threshold of [600, 2000, 3800]) {
          for (
            const end = Date.now() + 120_000;
            (await judged()) < threshold;
            await new Promise((r) => setTimeout(r, 20))
          ) {
            if (Date.now() > end) throw new Error(`stuck below ${threshold} judged:\n${workers.map(texts).join('\n')}`);
          }
          // under load a worker can be between connections at the threshold: wait (a ceiling, not a timeout
          // the test relies on) until the three workers and the test hold sessions, so each kill ends theirs
          for (
            const end = Date.now() + WAIT_CEILING_MS;
            (await sessions()) < 3 && Date.now() < end;
            await new Promise((r) => setTimeout(r, 20))
          );
          kills.push({ at: Date.now(), judged: await judged(), sessions: await terminateBackends(db.url) });
        }
        for (
          const end = Date.now() + 180_000;
          (await judged()) < 6000 && Date.now() < end;
          await new Promise((r) => setTimeout(r, 100))
        );
        const lastKill = kills.at(-1)!.at;
        const status = JSON.stringify(
          (await db.query(`select status, claimed_by, count(*)::int as n from samples group by 1, 2`)).rows,
        );
        await waitFor(
          () => workers.every((w) => events(w, 'cycle').some((l) => l.receivedAt > lastKill)),
          WAIT_CEILING_MS,
          () =>
            `each worker to finish a cycle after the last kill (samples: ${status}):\n${workers.map((w) => texts(w).split('\n').slice(-15).join('\n')).join('\n---\n')}`,
        );
        expect(workers.map((w) => w.child.exitCode)).toEqual([null, null, null]); // all three still running
        for (const w of workers) w.child.kill('SIGTERM');
        expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0, 0]);
        const failed = workers.map((w) => events(w, 'cycle_failed').length);
        const retries = workers.map((w) => events(w, 'db_retry').length + events(w, 'db_connection_lost').length);
        const reported = workers.map((w) =>
          (events(w, 'cycle') as unknown as { judged: number; duplicates: number }[]).reduce((a, x) => a + x.judged, 0),
        );
        console.log(
          `kills ${JSON.stringify(kills.map(({ judged, sessions }) => ({ judged, sessions })))}; reported judged ${reported.join(' + ')}; lost-connection events ${retries.join(', ')}; failed cycles ${failed.join(', ')}`,
        );
        expect(kills.every((k) => k.sessions >= 3)).toBe(true);
        expect(workers.flatMap((w) => events(w, 'cycle')).reduce((a, x) => a + (x.duplicates as number), 0)).toBe(0);
        const r = await db.query<{ judged: number; distinct: number; failures: number; pending: number }>(
          `select (select count(*)::int from judgments) as judged, (select count(distinct sample_id)::int from judgments) as distinct,
                (select count(*)::int from judgments where verdict = 'fail') as failures,
                (select count(*)::int from samples where status <> 'judged') as pending`,
        );
        expect(r.rows[0]).toEqual({ judged: 6000, distinct: 6000, failures: 120, pending: 0 });
        // every flush cut by a lost connection was written again (Db.transaction retry), so no cycle failed and the reports add up
        expect(failed).toEqual([0, 0, 0]);
        expect(reported.reduce((a, b) => a + b, 0)).toBe(6000);
      } finally {
        for (const w of workers) w.child.kill('SIGKILL');
        await Promise.all(workers.map((w) => w.exited));
        await db.close();
      }
    });

    it('the leader survives its sessions being ended mid-cycle and between cycles, leads again and finishes the job once', {
      timeout: 600_000,
    }, async () => {
      const env = compiledCliEnv();
      const db = await createTestPg();
      const cwd = mkdtempSync(path.join(tmpdir(), 'dw-leader-drop-'));
      const routing = writeRoutingYaml(cwd);
      const file = path.join(cwd, 'events.jsonl');
      writeE2eEvents(file);
      await ingestFile(db, file);
      const leader = spawnCli(['daemon', '--interval', '1s', '--rate', '1', '--db', db.url], { cwd, env });
      try {
        await waitFor(() => events(leader, 'run_started').length > 0, WAIT_CEILING_MS, 'the first cycle to start');
        // end its session while it is inside a transaction (the sampler's or a judge chunk's), then all of them
        let inTransaction = 0;
        for (
          const end = Date.now() + 120_000;
          inTransaction === 0 && events(leader, 'cycle').length === 0 && Date.now() < end;
          await new Promise((r) => setTimeout(r, 5))
        ) {
          inTransaction = await terminateBackends(db.url, 'backend_xid is not null');
        }
        const midCycle = inTransaction + (await terminateBackends(db.url));
        // a cycle that failed for any reason but the lost connection fails the test now, not at the ceiling
        const cycled = () => {
          const other = events(leader, 'cycle_failed').find((l) => l.code !== 'db_connection_lost');
          if (other) throw new Error(`a cycle failed: ${JSON.stringify(other)}`);
          return events(leader, 'cycle').length > 0;
        };
        await waitFor(cycled, WAIT_CEILING_MS, () => `a cycle to finish after the kill:\n${texts(leader)}`);
        const between = await terminateBackends(db.url); // while it sleeps: the leader lock's session among them
        const killedAt = Date.now();
        await waitFor(
          () => events(leader, 'cycle').some((l) => l.receivedAt > killedAt),
          WAIT_CEILING_MS,
          () => `a cycle after the second kill:\n${texts(leader)}`,
        );
        expect(leader.child.exitCode).toBeNull();
        leader.child.kill('SIGTERM');
        expect(await leader.exited).toBe(0);
        console.log(
          `leader: ended ${midCycle} session(s) mid-cycle (${inTransaction} inside a transaction), ${between} between cycles; events ${['db_retry', 'db_connection_lost', 'cycle_failed', 'lease_lost', 'leader_acquired', 'cycle'].map((e) => `${e} ${events(leader, e).length}`).join(', ')}; failed: ${events(
            leader,
            'cycle_failed',
          )
            .map((l) =>
              String(l.error)
                .replace(/^.*\(in: /, '(in: ')
                .slice(0, 120),
            )
            .join(' | ')}`,
        );
        expect(inTransaction).toBe(1);
        expect(between).toBeGreaterThanOrEqual(1);
        expect(events(leader, 'lease_lost').length).toBeGreaterThanOrEqual(1); // its lock session was among those ended
        expect(events(leader, 'leader_acquired').length).toBe(events(leader, 'lease_lost').length + 1); // and it led again each time
        expect(events(leader, 'cycle_failed').every((l) => l.code === 'db_connection_lost')).toBe(true);
        const r = await db.query<{
          samples: number;
          judged: number;
          distinct: number;
          pending: number;
          escalations: number;
        }>(
          `select (select count(*)::int from samples) as samples, (select count(*)::int from judgments) as judged,
                (select count(distinct sample_id)::int from judgments) as distinct,
                (select count(*)::int from samples where status in ('pending', 'claimed')) as pending,
                (select count(*)::int from audit_log where task_type = 'summarize') as escalations`,
        );
        const counts = r.rows[0]!;
        expect(counts.judged).toBe(counts.distinct);
        expect(counts.pending).toBe(0);
        expect(counts.samples).toBe(2800); // rate 1: every event once, none twice
        expect(counts.escalations).toBe(1);
        expect(readFileSync(routing, 'utf8')).toMatch(/summarize: \{ tier: complex/);
      } finally {
        leader.child.kill('SIGKILL');
        await leader.exited;
        await db.close();
      }
    });
  },
);
