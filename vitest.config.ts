import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // src/**/*.test.ts and test/**/*.test.ts, in the two projects below
    // Ceilings, not expectations: tests wait for conditions, and a test that really hangs fails
    // here. Ten minutes so a 2-core machine at load 10-30 (a 3x slowdown and more) stays green;
    // no test takes longer on an idle machine because of it.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // PGlite instances are memory-hungry WASM heaps; two workers fit two cores.
    maxWorkers: 2,
    projects: [
      // Unit and contract tests share each worker's module cache (isolate: false): re-importing the
      // same modules for every file was most of the suite's import time (src/ alone: all 129 files
      // pass this way). They keep no state in modules they do not reset.
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'], isolate: false } },
      // End-to-end tests spawn the CLI; each file keeps its own module graph.
      { extends: true, test: { name: 'e2e', include: ['test/**/*.test.ts'] } },
    ],
  },
});
