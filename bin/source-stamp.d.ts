/** The newest mtime (ms) of `dir` and everything below it. */
export function newestMtimeMs(dir: string): number;
/** The stamp `npm run build` writes: the source tree's newest mtime when the build started. */
export function buildStamp(srcDir: string): { sourceMtimeMs: number };
/** True when dist/ holds a build of src/ as it is now (no file under src/ is newer than the stamp). */
export function distIsCurrent(srcDir: string, stampFile: string): boolean;
