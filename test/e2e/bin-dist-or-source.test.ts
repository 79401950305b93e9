import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStamp } from '../../bin/source-stamp.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A checkout in miniature: the real bin, a src/ and a dist/ whose main() say which one ran. */
function makeCheckout(dir: string): void {
  mkdirSync(path.join(dir, 'bin'));
  for (const f of ['driftwatch.js', 'source-stamp.js'])
    copyFileSync(path.join(ROOT, 'bin', f), path.join(dir, 'bin', f));
  mkdirSync(path.join(dir, 'src/cli'), { recursive: true });
  mkdirSync(path.join(dir, 'dist/cli'), { recursive: true });
  const main = (which: string, types: string) =>
    `export async function main(argv${types}) { process.stdout.write('${which} ' + argv.join(' ')); return 0; }\n`;
  writeFileSync(path.join(dir, 'src/cli/main.ts'), main('source', ': string[]'));
  writeFileSync(path.join(dir, 'src/cli/other.ts'), 'export const x = 1;\n');
  writeFileSync(path.join(dir, 'dist/cli/main.js'), main('dist', ''));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
}

const stamp = (dir: string) =>
  writeFileSync(path.join(dir, 'dist/build-stamp.json'), JSON.stringify(buildStamp(path.join(dir, 'src'))));
/** The bin's output for `--version` in `dir`; `bin` is DRIFTWATCH_BIN (unset by default). */
const run = (dir: string, bin?: string) => {
  const env = { ...process.env, DRIFTWATCH_BIN: bin };
  if (bin === undefined) delete env.DRIFTWATCH_BIN;
  return execFileSync(process.execPath, [path.join(dir, 'bin/driftwatch.js'), '--version'], {
    cwd: dir,
    encoding: 'utf8',
    env,
  });
};
const later = (file: string) => {
  const t = new Date(Date.now() + 60_000);
  utimesSync(file, t, t);
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'dw-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bin/driftwatch.js', () => {
  it('in a checkout runs dist/ while it is a build of src/ as it is, else the source; DRIFTWATCH_BIN=source|dist chooses', () => {
    const dir = path.join(tmp, 'checkout');
    mkdirSync(dir);
    makeCheckout(dir);
    expect(run(dir)).toBe('source --version'); // no stamp: a dist/ of unknown age
    stamp(dir);
    expect(run(dir)).toBe('dist --version');
    expect(run(dir, 'source')).toBe('source --version');
    later(path.join(dir, 'src/cli/other.ts')); // an edit after the build
    expect(run(dir)).toBe('source --version');
    expect(run(dir, 'dist')).toBe('dist --version'); // dist/ as built, older than src/
    stamp(dir); // npm run build
    expect(run(dir)).toBe('dist --version');
    rmSync(path.join(dir, 'src/cli/other.ts')); // a deleted file changes its folder
    later(path.join(dir, 'src/cli'));
    expect(run(dir)).toBe('source --version');
  });

  it('runs dist/ in an installed package (no src/), stamp or not, and its CLI bundle when built', () => {
    const dir = path.join(tmp, 'installed');
    mkdirSync(dir);
    makeCheckout(dir);
    rmSync(path.join(dir, 'src'), { recursive: true });
    rmSync(path.join(dir, 'bin/source-stamp.js')); // not loaded where there is no source to compare
    expect(run(dir)).toBe('dist --version');
    // the build's bundle of the CLI, when there is one, is what runs
    mkdirSync(path.join(dir, 'dist/cli-bundle'));
    writeFileSync(
      path.join(dir, 'dist/cli-bundle/main.js'),
      "export async function main(argv) { process.stdout.write('bundle ' + argv.join(' ')); return 0; }\n",
    );
    expect(run(dir)).toBe('bundle --version');
  });
});
