#!/usr/bin/env bash
# The package as a user gets it: `npm pack`, install the tarball into an empty ESM project (offline,
# from the npm cache `npm ci` filled), use the library from plain JavaScript and run the bin.
# Fails on the first step that does not work. Run by .ci/run after the suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/dw-pack-smoke-XXXXXX")"
trap 'rm -rf "$work"' EXIT
start=$SECONDS

cd "$root"
tgz="$work/$(npm pack --silent --pack-destination "$work" | tail -1)"
echo "pack-smoke: packed $(basename "$tgz") ($(du -k "$tgz" | cut -f1) kB)"
# the tarball ships the build and the runtime data, not the source or the tests
listing="$(tar -tzf "$tgz")"
for f in package/dist/index.js package/dist/index.d.ts package/dist/cli/main.js package/dist/cli-bundle/main.js package/dist/routing/prices.json \
  package/bin/driftwatch.js package/migrations/001_core.sql package/evals/rubrics/routing-agreement.yaml \
  package/templates/driftwatch.yaml package/datasets/banking77/categories.json; do
  grep -qx "$f" <<<"$listing" || { echo "pack-smoke: $f is missing from the tarball"; exit 1; }
done
if grep -E '^package/(src|test)/|\.test\.(js|d\.ts)$' <<<"$listing"; then echo "pack-smoke: source or tests in the tarball"; exit 1; fi

mkdir "$work/app"
cd "$work/app"
node "$root/scripts/pack-smoke-lock.cjs" "$root/package-lock.json" "$tgz"
t=$SECONDS
if ! npm ci --offline --no-audit --no-fund --loglevel=error; then
  echo "pack-smoke: offline install failed; retrying with --prefer-offline"
  rm -f package-lock.json
  npm install --prefer-offline --no-audit --no-fund --loglevel=error
fi
echo "pack-smoke: installed into an empty ESM project in $((SECONDS - t)) s"
[ ! -e node_modules/tsx ] || { echo "pack-smoke: tsx was installed: it must be a devDependency only"; exit 1; }

cp "$root/examples/routing.yaml" routing.yaml
cat >smoke.js <<'EOF'
import { readFileSync } from 'node:fs';
import { createBatchQueue, createRouter, logRoutingEvent, migrate, openDb } from 'driftwatch';

const router = createRouter({ path: 'routing.yaml' });
const route = router.route({ taskType: 'math', inputTokens: 24 });
if (route.model !== 'mixtral-8x7b') throw new Error(`routed to ${route.model}`);
await logRoutingEvent({ file: 'events.jsonl' }, { taskType: 'math', model: route.model, prompt: 'What is 2 + 2?', response: '4' });
const logged = JSON.parse(readFileSync('events.jsonl', 'utf8').trim());
if (logged.model !== 'mixtral-8x7b' || logged.response !== '4') throw new Error(`logged ${JSON.stringify(logged)}`);

// the batch queue over an in-memory database (the migrations are read from the installed package)
const db = await openDb('memory:');
await migrate(db);
const batches = new Map();
const client = {
  provider: 'anthropic',
  model: 'claude-3-5-haiku-20241022',
  complete: async () => { throw new Error('not used'); },
  startBatch: async (reqs) => { const id = `b${batches.size + 1}`; batches.set(id, reqs); return { batchId: id }; },
  checkBatch: async (id) => ({ status: 'ended', done: batches.get(id).length, total: batches.get(id).length }),
  readBatch: async function* (id) {
    for (const r of batches.get(id)) yield { customId: r.customId, reply: { customId: r.customId, text: `answer to ${r.prompt}`, model: 'claude-3-5-haiku-20241022', usage: { inputTokens: 5, outputTokens: 3 } } };
  },
};
const queue = createBatchQueue({ client, db, flushEveryMs: 60_000, maxBatch: 100, poll: { initialMs: 1, factor: 1, maxMs: 1 } });
const pending = ['a', 'b'].map((q, i) => queue.submit({ customId: `q-${i}`, system: 's', prompt: q, maxTokens: 5 }));
queue.flush();
const answers = (await Promise.all(pending)).map((r) => r.reply?.text);
await queue.drain();
await db.close();
if (answers.join('|') !== 'answer to a|answer to b' || batches.size !== 1) throw new Error(`batch answers ${answers}`);
console.log(`library ok: routed math to ${route.model}, logged 1 event, 1 batch answered ${answers.length} callers`);
EOF
t=$SECONDS
node smoke.js
echo "pack-smoke: library checks took $((SECONDS - t)) s"

version="$(npx --no-install driftwatch --version)"
[ "$version" = "driftwatch $(node -p "require('$root/package.json').version")" ] || { echo "pack-smoke: --version printed \"$version\""; exit 1; }
mkdir fresh && (cd fresh && npx --no-install driftwatch init >/dev/null && grep -q '^version:' routing.yaml && test -s driftwatch.yaml)
echo "pack-smoke: bin ok: $version; init wrote driftwatch.yaml and routing.yaml from the packaged templates"
echo "pack-smoke: passed in $((SECONDS - start)) s"
