import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GOLD_SETS } from '../../judge/calibration/gold-sets.js';
import { flagName } from '../flag.js';
import { globalFlags } from '../global-flags.js';
import { type MainIo, main } from '../main.js';
import { renderFlagReference } from '../render-help.js';
import { CALIBRATION_SETS } from './judge-calibrate-spec.js';
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

/** The static value imports of a source file (type-only imports and dynamic import() left out). */
function valueImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  return [...src.matchAll(/^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

/** Every module main.ts loads before a command runs: its static import graph, by path or package. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts'));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));

describe('lazy command registry', () => {
  it('each entry loads the command whose spec it lists', async () => {
    expect(new Set(commands.map((c) => c.spec.name)).size).toBe(commands.length);
    for (const entry of commands) expect((await entry.load()).spec).toBe(entry.spec);
  });

  it('--version, --help and a bad flag load no command, database, config, SDK or tokenizer module', () => {
    // Before the registry, main.ts imported every command (and through them the SDKs, gpt-tokenizer,
    // natural and both database drivers) so `--version` paid ~2 s and ~270 MB. Now main.ts's static
    // graph is the registry's specs, flag parsing and help; the run path is a dynamic import.
    const graph = [...staticGraph(MAIN)].map((f) => (path.isAbsolute(f) ? path.relative(path.dirname(MAIN), f) : f));
    const packages = graph.filter((f) => !f.endsWith('.ts'));
    expect(packages.every((p) => p.startsWith('node:'))).toBe(true);
    const modules = graph.filter((f) => f.endsWith('.ts')).sort();
    expect(
      modules.filter((m) => m.startsWith('commands/')).every((m) => /-spec\.ts$|^commands\/index\.ts$/.test(m)),
    ).toBe(true);
    expect(modules.filter((m) => !m.startsWith('commands/'))).toEqual([
      '../compression/compression-metric.ts',
      '../errors.ts',
      '../judge/judge-providers.ts',
      'command.ts',
      'did-you-mean.ts',
      'flag.ts',
      'global-flags.ts',
      'main.ts',
      'package-version.ts',
      'parse-command-line.ts',
      'render-help.ts',
      'shared-flags.ts',
    ]);
  });

  it('the bundled calibration sets the spec offers are the ones judge-calibrate loads', () => {
    expect([...CALIBRATION_SETS]).toEqual(GOLD_SETS);
  });
});

describe('flag definitions', () => {
  it('every flag has a description and a default, and no command redefines a global flag', () => {
    for (const { spec } of commands) {
      for (const [key, f] of Object.entries({ ...spec.flags, ...globalFlags })) {
        expect(f.description.length, `${spec.name} ${flagName(key)}`).toBeGreaterThan(10);
        expect(f.defaultText.length, `${spec.name} ${flagName(key)}`).toBeGreaterThan(0);
      }
      for (const key of Object.keys(spec.flags)) expect(Object.keys(globalFlags)).not.toContain(key);
    }
  });

  it("each command's --help shows every flag with its description and default, loading no command", async () => {
    for (const { spec } of commands) {
      const o = io();
      expect(await main([spec.name, '--help'], o.value)).toBe(0);
      const help = o.out.join('');
      for (const [key, f] of Object.entries(spec.flags)) {
        const line = help.split('\n').find((l) => l.startsWith(`  ${flagName(key)}`));
        expect(line, `${spec.name} --help lists ${flagName(key)}`).toBeDefined();
        expect(line).toContain(f.description);
        expect(line).toContain(`[default: ${f.defaultText}]`);
      }
      expect(help).toContain(spec.opensDb ? '  --db URL' : '  --config FILE');
      if (!spec.opensDb) expect(help).not.toContain('--db');
    }
    const o = io();
    await main(['daemon', '-h'], o.value);
    const viaHelp = io();
    expect(await main(['help', 'daemon'], viaHelp.value)).toBe(0);
    expect(viaHelp.out).toEqual(o.out);
    expect(o.out.join('')).toMatch(/^ {2}--interval DURATION +time between cycles .*\[default: 5m\]$/m);
    expect(o.out.join('')).toMatch(/^ {2}--role leader\|worker +leader: .* \[default: leader\]$/m);
  });

  it('--help lists every command with its summary and flag names, and the global flags with defaults', async () => {
    const o = io();
    expect(await main(['--help'], o.value)).toBe(0);
    const help = o.out.join('');
    for (const { spec } of commands) {
      expect(help).toContain(`  ${spec.name} `);
      expect(help).toContain(spec.summary);
      if (Object.keys(spec.flags).length) expect(help).toContain(Object.keys(spec.flags).map(flagName).join(' '));
    }
    expect(help).toMatch(/^ {2}--db URL +the database: .* \[default: DATABASE_URL, else /m);
    expect(help).toContain('--version, -V');
  });

  it("docs/CONTRACT.md's flag reference is the flag definitions' own", () => {
    const contract = readFileSync(new URL('../../../docs/CONTRACT.md', import.meta.url), 'utf8');
    expect(contract).toContain(renderFlagReference(commands));
  });

  it('--version and -V print the package version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const o = io();
      expect(await main([flag], o.value)).toBe(0);
      expect(o.out.join('')).toBe(`driftwatch ${pkg.version}\n`);
    }
  });
});
