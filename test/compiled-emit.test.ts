import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The suite and the checkout's bin run src/ through esbuild (tsx) or Oxc (vitest), while the package
// ships tsc's emit (dist/, and the CLI bundle made from it). TypeScript 7.0.2 drops the parentheses of
// `new (f() as T).C()` (it prints `new f().C()`), so the compiled CLI failed every cycle that judged a
// cache hit while every test through the source passed. These tests compile src/ with the project's tsc.
const ROOT = path.resolve(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'dw-emit-'));
const out = path.join(tmp, 'dist');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  const tsc = path.join(path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  const args = ['-p', path.join(ROOT, 'tsconfig.build.json'), '--outDir', out, '--declaration', 'false'];
  execFileSync(process.execPath, [tsc, ...args], { cwd: ROOT, stdio: 'pipe' });
  // the compiled modules find the packages (natural) the way dist/ does
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(tmp, 'node_modules'));
  writeFileSync(path.join(tmp, 'package.json'), '{ "type": "module" }\n');
});

/** esbuild's minified print of a module: formatting, comments and types gone, so equal code prints equal. */
async function normalized(code: string, loader: 'ts' | 'js'): Promise<string> {
  const { compilerOptions } = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.json'), 'utf8'));
  const r = await transform(code, {
    loader,
    format: 'esm',
    target: 'es2023',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    tsconfigRaw: { compilerOptions },
  });
  return r.code;
}

describe('the compiled package (tsc) runs the code the tests run (esbuild)', () => {
  it('every module of src/ compiles to what esbuild makes of it', async () => {
    const modules = readdirSync(path.join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'),
    );
    const differ: string[] = [];
    for (const f of modules) {
      const fromSource = await normalized(readFileSync(path.join(ROOT, 'src', f), 'utf8'), 'ts');
      const compiled = await normalized(readFileSync(path.join(out, f.replace(/\.ts$/, '.js')), 'utf8'), 'js');
      let i = 0;
      while (i < fromSource.length && fromSource[i] === compiled[i]) i++;
      if (i < fromSource.length || i < compiled.length)
        differ.push(
          `${f}\n  esbuild: ${fromSource.slice(i - 60, i + 60)}\n  tsc:     ${compiled.slice(i - 60, i + 60)}`,
        );
    }
    expect(modules.length).toBeGreaterThan(100);
    expect(differ.join('\n')).toBe('');
  });

  it("the compiled natural-words module tokenizes and stems (what the daemon's cache-hit judging calls)", () => {
    const url = pathToFileURL(path.join(out, 'text/natural-words.js')).href;
    const script = `const m = await import(${JSON.stringify(url)}); console.log(JSON.stringify([m.wordTokens("It's 42, isn't it?"), m.porterStem('running')]));`;
    const printed = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual([['It', 's', '42', 'isn', 't', 'it'], 'run']);
  });
});
