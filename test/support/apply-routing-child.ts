// Child process for the apply tests: applies one escalation to the routing table in argv[2],
// decided on version 1, holding the lock for argv[3] ms; prints the outcome as one JSON line.
// With a PostgreSQL URL in argv[4] it audits there. DRIFTWATCH_TEST_APPLY_PAUSE (read only by
// this fixture) = before-rename | after-rename prints {"paused": point} and waits to be killed there.
import { openPgDb } from '../../src/db/pg-db.js';
import { applyRoutingChanges } from '../../src/escalator/apply-routing-changes.js';

const [file, holdMs, dbUrl] = process.argv.slice(2);
const pauseAt = process.env.DRIFTWATCH_TEST_APPLY_PAUSE;
const pause = (point: string) => async () => {
  if (pauseAt !== point) return;
  console.log(JSON.stringify({ paused: point }));
  await new Promise((r) => setTimeout(r, 600_000));
};
const db = dbUrl ? await openPgDb(dbUrl, { max: 2 }) : undefined;
try {
  const r = await applyRoutingChanges({
    file,
    apply: true,
    expectedVersion: 1,
    now: new Date(),
    db,
    actor: `child:${process.pid}`,
    changes: [
      { taskType: 'classify', kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: `pid ${process.pid}` },
    ],
    afterLock: () => new Promise((r) => setTimeout(r, Number(holdMs))),
    beforeRename: pause('before-rename'),
    afterRename: pause('after-rename'),
  });
  console.log(JSON.stringify({ ok: true, written: r.written, version: r.newVersion, lockedAt: Date.now() }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: (e as { code?: string }).code, message: (e as Error).message }));
} finally {
  await db?.close();
}
