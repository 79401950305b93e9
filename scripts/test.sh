#!/usr/bin/env bash
# Runs the suite and ends with the plain "N passed, N failed" line CI reads.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp)
if [ -z "${DRIFTWATCH_TEST_PG_URL:-}" ] && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  export DRIFTWATCH_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test
fi
# formatting (biome.jsonc; `npm run format` fixes it)
npx biome format . > /dev/null || { npx biome format . 2>&1 | tail -20; echo "0 passed, 1 failed"; exit 1; }
# lint: recommended rules, functions <= 80 lines, files <= 250 (biome.jsonc; ARCHITECTURE.md "Formatting and lint")
npx biome lint . > /dev/null 2>&1 || { npx biome lint . 2>&1 | tail -40; echo "0 passed, 1 failed"; exit 1; }
npx tsc --noEmit -p . || { echo "0 passed, 1 failed"; exit 1; }
# import direction, cycles, drivers and SDKs in their folders (.dependency-cruiser.cjs, ARCHITECTURE.md)
npx depcruise src || { echo "0 passed, 1 failed"; exit 1; }
# the end-to-end tests spawn bin/driftwatch.js, which runs dist/ while it is a build of src/ as it is:
# build when it is not, so the suite tests the compiled CLI the package ships (npm ci has built it)
node -e 'import("./bin/source-stamp.js").then((m) => process.exit(m.distIsCurrent("src", "dist/build-stamp.json") ? 0 : 1))' \
  || node scripts/build.mjs || { echo "0 passed, 1 failed"; exit 1; }
# after vitest's summary: the 10 slowest files and tests (print only; time never fails the run)
npx vitest run --reporter=default --reporter=./test/support/slowest-reporter.ts --reporter=json --outputFile="$out" "$@"
rc=$?
node -e '
const fs = require("fs");
let r;
try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch { console.log("0 passed, 1 failed"); process.exit(0); }
const skipped = (r.numPendingTests || 0) + (r.numTodoTests || 0);
// A file that fails to load, or whose hook failed (its tests then show as skipped), has no failed
// test but must still count as a failure; so must a runner that exits non-zero for any other reason.
const brokenFiles = (r.testResults || []).filter((f) => f.status === "failed" && !(f.assertionResults || []).some((a) => a.status === "failed")).length;
let failed = r.numFailedTests + brokenFiles;
if (Number(process.argv[2]) !== 0 && failed === 0) failed = 1;
console.log(`${r.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
' "$out" "$rc"
rm -f "$out"
exit $rc
