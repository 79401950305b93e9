import { loadavg } from 'node:os';
import type { Reporter, TestModule } from 'vitest/node';

/** How many of the slowest files and tests the list shows. */
const SHOWN = 10;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1).padStart(6)} s`;

/**
 * Prints, after a run, the slowest test files (their tests and hooks, so a beforeAll that runs a whole
 * command counts, plus their import time) and the slowest tests, so every CI log shows them. Prints only:
 * time never fails a run (a busy machine is slower). `scripts/test.sh` adds it to `npm test`.
 */
export default class SlowestReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const root = process.cwd();
    const rel = (p: string) => (p.startsWith(`${root}/`) ? p.slice(root.length + 1) : p);
    const files = modules.map((m) => ({ file: rel(m.moduleId), ...m.diagnostic() }));
    const tests = modules.flatMap((m) =>
      [...m.children.allTests()].map((t) => ({
        name: `${rel(m.moduleId)} > ${t.fullName}`,
        ms: t.diagnostic()?.duration ?? 0,
      })),
    );
    const importMs = files.reduce((s, f) => s + f.collectDuration, 0);
    const lines = [
      '',
      `slowest ${SHOWN} test files (tests + hooks; import in brackets), load average ${loadAverage()}:`,
      ...files
        .sort((a, b) => b.duration - a.duration)
        .slice(0, SHOWN)
        .map((f) => `${seconds(f.duration)}  (${seconds(f.collectDuration).trim()})  ${f.file}`),
      `slowest ${SHOWN} tests:`,
      ...tests
        .sort((a, b) => b.ms - a.ms)
        .slice(0, SHOWN)
        .map((t) => `${seconds(t.ms)}  ${t.name}`),
      `import of all ${files.length} test files: ${seconds(importMs).trim()} summed over workers`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');
}
