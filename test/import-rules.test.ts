import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs the repo's dependency-cruiser config (as CI does) over a copy of src/ with `plant` files added and `append` lines added to files. */
function cruiseWith(
  plant: Record<string, string>,
  append: Record<string, string> = {},
): { status: number | null; violations: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-depcruise-'));
  try {
    cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    for (const f of ['.dependency-cruiser.cjs', 'tsconfig.json', 'package.json'])
      cpSync(path.join(ROOT, f), path.join(dir, f));
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    for (const [file, text] of Object.entries(plant)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    for (const [file, text] of Object.entries(append)) appendFileSync(path.join(dir, file), text);
    const bin = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const r = spawnSync(process.execPath, [bin, 'src'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.stdout, r.stderr).toMatch(/modules, \d+ dependencies cruised/);
    // "  error rule: from → to" (cycles continue on the following lines)
    const violations = [...r.stdout.matchAll(/^\s+error ([\w-]+): (\S+) →\s+(\S+)/gm)].map(
      (m) => `${m[1]} ${m[2]} -> ${m[3].replace(/^.*node_modules\//, 'node_modules/')}`,
    );
    return { status: r.status, violations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('.dependency-cruiser.cjs', () => {
  it('fails on each planted violation and on nothing else in the tree', () => {
    const { status, violations } = cruiseWith(
      {
        // against the direction: the routing model reaching up into the CLI
        'src/routing/planted-upward.ts': "export { main } from '../cli/main.js';\n",
        // a sibling feature of the same rank
        'src/cache/planted-sibling.ts': "export { decideEscalations } from '../escalator/decide-escalations.js';\n",
        // a driver outside src/db
        'src/sampler/planted-driver.ts': "import pg from 'pg';\nexport const pool = pg.Pool;\n",
        // an SDK outside the adapters
        'src/judge/planted-sdk.ts':
          "import Anthropic from '@anthropic-ai/sdk';\nexport const make = () => new Anthropic();\n",
        // the batch queue building its own judge client again (the exception it had is gone)
        'src/batch/planted-builder.ts':
          "export { createJudgeClient } from '../judge/providers/create-judge-client.js';\n",
        // a folder nobody gave a rank
        'src/newfolder/planted-unranked.ts': "export { InputError } from '../errors.js';\n",
        // shipped code importing test support
        'test/support/planted-helper.ts': 'export const planted = 1;\n',
        'src/cache/planted-test-import.ts': "export { planted } from '../../test/support/planted-helper.js';\n",
        // a new type-only cycle
        'src/stats/planted-a.ts': "import type { B } from './planted-b.js';\nexport type A = { b?: B };\n",
        'src/stats/planted-b.ts': "import type { A } from './planted-a.js';\nexport type B = { a?: A };\n",
        // with the line appended below, a new cycle through the files of a known (allowed) type-only cycle
        'src/demo/planted-c.ts': "import type { DemoNight } from './run-demo.js';\nexport type C = DemoNight;\n",
      },
      { 'src/demo/render-demo-preface.ts': "import type { C } from './planted-c.js';\nexport type PlantedC = C;\n" },
    );
    const seen = [...violations].sort();
    expect(status, seen.join('\n')).not.toBe(0);
    expect(seen).toContain('layer-routing src/routing/planted-upward.ts -> src/cli/main.ts');
    expect(seen).toContain('layer-cache src/cache/planted-sibling.ts -> src/escalator/decide-escalations.ts');
    expect(
      seen.some((s) => s.startsWith('db-drivers-only-in-db src/sampler/planted-driver.ts -> node_modules/pg/')),
    ).toBe(true);
    expect(
      seen.some((s) =>
        s.startsWith('sdks-only-in-adapters src/judge/planted-sdk.ts -> node_modules/@anthropic-ai/sdk/'),
      ),
    ).toBe(true);
    expect(seen).toContain('layer-batch src/batch/planted-builder.ts -> src/judge/providers/create-judge-client.ts');
    expect(seen).toContain('no-circular src/stats/planted-a.ts -> src/stats/planted-b.ts');
    expect(seen).toContain('unranked-folder src/newfolder/planted-unranked.ts -> src/errors.ts');
    expect(seen).toContain('no-circular src/demo/planted-c.ts -> src/demo/run-demo.ts');
    expect(seen).toContain('no-test-support-in-src src/cache/planted-test-import.ts -> test/support/planted-helper.ts');
    // every violation involves a planted file: the tree itself passes
    expect(seen.filter((v) => !/planted-|render-demo-preface/.test(v))).toEqual([]);
  });
});
