// Whether dist/ was built from the source as it is now: `npm run build` records the newest
// modification time under src/ (files and folders, so an added, edited, renamed or deleted file
// counts) in dist/build-stamp.json, and the bin compares it with the tree it finds.
import { readdirSync, readFileSync, statSync } from 'node:fs';

/** The newest mtime (ms) of `dir` and everything below it. */
export function newestMtimeMs(dir) {
  let newest = statSync(dir).mtimeMs;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    newest = Math.max(newest, e.isDirectory() ? newestMtimeMs(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The stamp `npm run build` writes: the source tree's newest mtime when the build started. */
export function buildStamp(srcDir) {
  return { sourceMtimeMs: newestMtimeMs(srcDir) };
}

/** True when dist/ holds a build of src/ as it is now (no file under src/ is newer than the stamp). */
export function distIsCurrent(srcDir, stampFile) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return false;
  }
  return typeof stamp?.sourceMtimeMs === 'number' && newestMtimeMs(srcDir) <= stamp.sourceMtimeMs;
}
