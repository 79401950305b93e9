import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main, type MainIo } from '../main.js';
import { commands } from './index.js';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  const value: MainIo = {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
    env: {},
    cwd: process.cwd(),
    isTty: false,
  };
  return { value, out, err };
};

/** The value (non-type) imports of a source file, by specifier. */
function valueImports(file: string): string[] {
  const src = readFileSync(new URL(file, import.meta.url), 'utf8');
  return [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('lazy command registry', () => {
  it('each entry loads the command it names, with the same summary the module declares', async () => {
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
    for (const entry of commands) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(entry.summary).toBe(command.summary);
    }
  });

  it('main.ts and the registry import no command, database, config or SDK module up front', () => {
    // Before the registry, main.ts imported every command (and through them the SDKs, gpt-tokenizer,
    // natural and both database drivers) so `--version` paid ~2 s and ~270 MB.
    expect(valueImports('./index.ts')).toEqual([]);
    // the terminal helpers beside main.ts are small and import no feature, driver or SDK
    expect(valueImports('../main.ts').sort()).toEqual([
      '../config/load-env.js',
      '../errors.js',
      './commands/index.js',
      './judge-progress-line.js',
      './log-format.js',
      './render-log-event.js',
      './terminal.js',
      'node:fs',
      'node:util',
    ]);
    for (const helper of [
      '../judge-progress-line.ts',
      '../log-format.ts',
      '../render-log-event.ts',
      '../terminal.ts',
    ]) {
      for (const spec of valueImports(helper))
        expect(spec).toMatch(/^(\.\/terminal\.js|\.\.\/errors\.js|\.\.\/reports\/markdown\.js)$/);
    }
    expect(valueImports('../../db/open-db.ts').filter((s) => /pg-db|pglite-db/.test(s))).toEqual([]);
  });

  it('--version and -V print the package version; --help lists every command', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const o = io();
      expect(await main([flag], o.value)).toBe(0);
      expect(o.out.join('')).toBe(`driftwatch ${pkg.version}\n`);
    }
    const o = io();
    expect(await main(['--help'], o.value)).toBe(0);
    for (const c of commands) expect(o.out.join('')).toContain(`  ${c.name} `);
  });

  it("a command's --help loads only that command and still lists its options", async () => {
    const o = io();
    expect(await main(['report', '--help'], o.value)).toBe(0);
    expect(o.out.join('')).toContain('--out VALUE');
    const bad = io();
    expect(await main(['no-such-command'], bad.value)).toBe(2);
    expect(bad.err.join('')).toContain('unknown command "no-such-command"');
  });
});
