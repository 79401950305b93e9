// Child process for the concurrency test: applies one escalation to the routing table in argv[2],
// decided on version 1, holding the lock for argv[3] ms; prints the outcome as one JSON line.
import { applyRoutingChanges } from './apply-routing-changes.js';

const [file, holdMs] = process.argv.slice(2);
try {
  const r = await applyRoutingChanges({
    file,
    apply: true,
    expectedVersion: 1,
    now: new Date(),
    changes: [{ taskType: 'classify', kind: 'escalate', fromTier: 'trivial', to: 'standard', reason: `pid ${process.pid}` }],
    afterLock: () => new Promise((r) => setTimeout(r, Number(holdMs))),
  });
  console.log(JSON.stringify({ ok: true, written: r.written, version: r.newVersion, lockedAt: Date.now() }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: (e as { code?: string }).code, message: (e as Error).message }));
}
