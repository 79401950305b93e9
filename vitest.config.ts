import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Ceilings, not expectations: tests wait for conditions, and a test that really hangs fails
    // here. Ten minutes so a 2-core machine at load 10-30 (a 3x slowdown and more) stays green;
    // no test takes longer on an idle machine because of it.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // PGlite instances are memory-hungry WASM heaps; two workers fit two cores.
    maxWorkers: 2,
  },
});
